// Vite serves and builds the browser viewer in web/. The viewer runs the same sim/ code as the CLI.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  build: { outDir: '../dist/web', emptyOutDir: true },
  server: { port: 5173 },
});
