import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// "State by feature, components by slice" (ARCHITECTURE.md), enforced by reading the code.
const ROOT = new URL('../../', import.meta.url).pathname;
const ui = readdirSync(join(ROOT, 'src/ui')).filter((f) => f.endsWith('.svelte'));
const app = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? app(join(dir, e.name))
      : /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );

describe('state by feature, components by slice', () => {
  it('only App.svelte knows the composition root; no component receives the whole app', () => {
    for (const f of ui) {
      const src = readFileSync(join(ROOT, 'src/ui', f), 'utf8');
      if (f !== 'App.svelte') expect(src, `${f} imports the Workbench`).not.toMatch(/workbench\.svelte/);
      expect(src, `${f} takes the whole app as a prop`).not.toMatch(/\b(wb|app)\s*:\s*Workbench\b/);
    }
  });
  it('components copy no reactive state for workers ($state.snapshot lives in the app layer)', () => {
    for (const f of ui) expect(readFileSync(join(ROOT, 'src/ui', f), 'utf8'), f).not.toMatch(/\$state\.snapshot/);
  });
  it('no state, feature or lesson file in src/app is over 400 lines', () => {
    // The repository is one typed wrapper over idb with its schema history (see its own contract test).
    for (const f of app('src/app').filter((f) => !f.startsWith('src/app/storage/'))) {
      const lines = readFileSync(join(ROOT, f), 'utf8').split('\n').length;
      expect(lines, `${f} has ${lines} lines`).toBeLessThanOrEqual(400);
    }
  });
});
