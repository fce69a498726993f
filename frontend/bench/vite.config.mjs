// Builds the catalog render benchmark (bench/catalog.html) for a real
// browser: `make bench-models-ui` (mk/models-ui.mk).
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  base: './',
  plugins: [svelte()],
  build: {
    outDir: process.env.BENCH_OUT ?? '/tmp/wadi-bench-catalog',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: fileURLToPath(new URL('./catalog.html', import.meta.url)) },
  },
});
