import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const outDir = fileURLToPath(new URL('./dist', import.meta.url));
const GITKEEP = '.gitkeep';
const GITKEEP_TEXT = 'placeholder so go:embed compiles before the frontend is built\n';

// The Go side embeds frontend/dist, and the repo tracks dist/.gitkeep so the
// embed compiles before the first frontend build. Vite's emptyOutDir would
// delete it, so we empty dist ourselves (keeping .gitkeep) and make sure it
// exists after every build.
function keepGitkeep(): Plugin {
  return {
    name: 'wadi-keep-gitkeep',
    apply: 'build',
    buildStart() {
      if (!existsSync(outDir)) return;
      for (const entry of readdirSync(outDir)) {
        if (entry === GITKEEP) continue;
        rmSync(join(outDir, entry), { recursive: true, force: true });
      }
    },
    closeBundle() {
      mkdirSync(outDir, { recursive: true });
      const keep = join(outDir, GITKEEP);
      if (!existsSync(keep)) writeFileSync(keep, GITKEEP_TEXT);
    },
  };
}

export default defineConfig({
  plugins: [svelte(), svelteTesting(), keepGitkeep()],
  // Wails serves the embedded files from its own origin; relative URLs work
  // both there and in `vite preview`.
  base: './',
  build: {
    outDir,
    emptyOutDir: false,
    target: 'es2022',
    assetsInlineLimit: 0,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['./src/test/setup.ts'],
    mockReset: true,
    unstubGlobals: true,
  },
});
