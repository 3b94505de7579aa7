import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layer rules of ARCHITECTURE.md, enforced: dependencies point inward.
const ROOT = new URL('../../', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const p = join(dir, name);
    return statSync(join(ROOT, p)).isDirectory() ? files(p) : /\.(ts|svelte)$/.test(name) ? [p] : [];
  });
}

function imports(file: string): string[] {
  const src = readFileSync(join(ROOT, file), 'utf8');
  return [
    ...src.matchAll(
      /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3]!);
}

const isTest = (f: string) => /\.test\.ts$/.test(f);
const TF_FILES = [
  'src/core/model/build-model.ts',
  'src/core/model/artifacts.ts',
  'src/core/model/predict.ts',
  'src/core/model/train-model.ts',
  'src/core/model/wasm-grad-kernels.ts',
  'src/core/model/layer-inputs.ts',
];

describe('architecture', () => {
  it('src/core is pure: no Svelte, idb, comlink, DOM; tfjs only in named files', () => {
    for (const f of files('src/core').filter((f) => !isTest(f))) {
      for (const imp of imports(f)) {
        expect(imp, `${f} imports ${imp}`).not.toMatch(/^(svelte|idb|comlink|onnxruntime-web)/);
        expect(imp, `${f} reaches outside core`).not.toMatch(/\.\.\/\.\.\/(app|ui)\/|workers\//);
        if (imp.startsWith('@tensorflow/'))
          expect(TF_FILES, `${f} imports tfjs`).toContain(relative(ROOT, join(ROOT, f)));
      }
      // Code, not prose: comments may say "the next window." without touching the DOM.
      const src = readFileSync(join(ROOT, f), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:])\/\/.*$/gm, '$1');
      expect(src, `${f} touches the DOM`).not.toMatch(/\bdocument\.|\bwindow\.|\blocalStorage\b/);
      expect(src, `${f} uses the global fetch`).not.toMatch(/(^|[^.\w])fetch\(/m);
    }
  });
  it('src/ui never imports tfjs, onnxruntime, idb or comlink', () => {
    for (const f of files('src/ui'))
      for (const imp of imports(f))
        expect(imp, `${f} imports ${imp}`).not.toMatch(/^(@tensorflow|onnxruntime|idb|comlink)/);
  });
  it('src/ui reaches workers only for types', () => {
    for (const f of files('src/ui')) {
      const src = readFileSync(join(ROOT, f), 'utf8');
      for (const m of src.matchAll(/import\s+(type\s+)?[^;]*from\s+['"]([^'"]*workers\/[^'"]*)['"]/g))
        expect(m[1], `${f} imports ${m[2]} at run time`).toBeTruthy();
    }
  });
  it('workers/ depends on core only (never on app or ui)', () => {
    for (const f of files('workers'))
      for (const imp of imports(f)) expect(imp, `${f} imports ${imp}`).not.toMatch(/src\/(app|ui)\//);
  });
  it('idb is used by the repository alone', () => {
    const users = [...files('src'), ...files('workers')].filter((f) => imports(f).includes('idb'));
    expect(users).toEqual(['src/app/storage/repository.ts']);
  });
  it('bin/ uses core, not app/ui/workers', () => {
    for (const f of files('bin'))
      for (const imp of imports(f)) expect(imp, `${f} imports ${imp}`).not.toMatch(/src\/(app|ui)\/|workers\//);
  });
});
