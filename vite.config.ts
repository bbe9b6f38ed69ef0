// Vite serves and builds the browser viewer in web/. The viewer runs the same sim/ code as the CLI.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  // The page is one chunk of about 500 kB (Chart.js and the simulator), served from this machine,
  // never over a network: splitting it would gain nothing, so Vite's 500 kB warning is raised.
  build: { outDir: '../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: { port: 5173 },
});
