// Every lesson in web/lessons/*.json, bundled into the page (works offline) and validated when
// first asked for, so a broken lesson file is reported by name instead of breaking the page.
// Leaves out: loading lessons from elsewhere (a run link can be shared instead).
/// <reference types="vite/client" />
import { parseLesson, type Lesson } from './lessonSchema.ts';

const files = import.meta.glob('./*.json', { eager: true, import: 'default' }) as Record<string, unknown>;

export const DEFAULT_LESSON = 'raft-leader-crash';

export interface LessonEntry {
  id: string;
  file: string;
  lesson?: Lesson;
  error?: string;
}

let entries: LessonEntry[] | undefined;

export function lessons(): LessonEntry[] {
  entries ??= Object.entries(files).sort(([a], [b]) => a.localeCompare(b)).map(([path, json]) => {
    const file = path.replace(/^\.\//, '');
    try {
      const lesson = parseLesson(json, file);
      return { id: lesson.id, file, lesson };
    } catch (error) {
      return { id: file.replace(/\.json$/, ''), file, error: (error as Error).message };
    }
  });
  return entries;
}

export function findLesson(id: string): LessonEntry | undefined {
  return lessons().find((e) => e.id === id);
}
