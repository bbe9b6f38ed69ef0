// Interns the strings of a trace that the page needs per event (message types, drop reasons,
// note names, timer keys, outcomes) so a column can hold a small integer instead.
// Leaves out: payload strings (message fields, note data), which stay in the lines.

export class StringTable {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();

  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(text);
      this.ids.set(text, id);
    }
    return id;
  }

  /** The id of a string if it occurs, else -1 (never adds). */
  find(text: string): number {
    return this.ids.get(text) ?? -1;
  }
}
