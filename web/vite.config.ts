import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The chat page (index.html, also the widget's frame) and the admin console (admin.html), built into
// dist/web and served by `parley serve`. widget.js in public/ is copied as it is.
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    rollupOptions: { input: { index: here('index.html'), admin: here('admin.html') } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/sources': 'http://127.0.0.1:3000' } },
});
