import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
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
  it('idb is used by the storage module alone (the repository and its schema)', () => {
    const users = [...files('src'), ...files('workers')].filter((f) => imports(f).includes('idb'));
    expect(
      users.every((f) => f.startsWith('src/app/storage/')),
      users.join(', '),
    ).toBe(true);
  });
  it('bin/ uses core, not app/ui/workers', () => {
    for (const f of files('bin'))
      for (const imp of imports(f)) expect(imp, `${f} imports ${imp}`).not.toMatch(/src\/(app|ui)\/|workers\//);
  });
  it('src/core/contracts is a leaf: types only, importing nothing outside contracts', () => {
    for (const f of files('src/core/contracts'))
      for (const imp of imports(f)) expect(imp, `${f} imports ${imp}`).toMatch(/^\.\/[\w-]+\.ts$/);
  });
  it('no import cycles anywhere (src, workers, bin; type imports count)', () => {
    const all = ['src', 'workers', 'bin'].flatMap(files).filter((f) => !isTest(f));
    const known = new Set(all);
    const edges = new Map<string, string[]>();
    for (const f of all) {
      const deps = imports(f)
        .filter((i) => i.startsWith('.'))
        .map((i) => relative(ROOT, resolve(ROOT, dirname(f), i)))
        .filter((d) => known.has(d));
      edges.set(f, deps);
    }
    // Tarjan's strongly connected components: any component of two or more files is a cycle.
    let index = 0;
    const idx = new Map<string, number>(),
      low = new Map<string, number>(),
      stack: string[] = [],
      on = new Set<string>();
    const cycles: string[][] = [];
    const visit = (v: string) => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      on.add(v);
      for (const w of edges.get(v)!) {
        if (!idx.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const c: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          on.delete(w);
          c.push(w);
        } while (w !== v);
        if (c.length > 1 || edges.get(v)!.includes(v)) cycles.push(c.sort());
      }
    };
    for (const v of all) if (!idx.has(v)) visit(v);
    expect(cycles).toEqual([]);
  });
  it('model families register in one frozen table and nothing outside families names a family kind list', () => {
    for (const f of [...files('src'), ...files('workers'), ...files('bin')].filter((f) => !isTest(f))) {
      const src = readFileSync(join(ROOT, f), 'utf8');
      expect(src, `${f} lists family kinds`).not.toMatch(/\[\s*'logistic',\s*'linear',\s*'mlp'/);
    }
  });
  it("the page's own bundle never reaches tfjs or onnxruntime (they load in workers, or on first use)", () => {
    // Static value imports from src/main.ts (type-only imports are erased; `?worker` and dynamic imports
    // split into their own chunks).
    const seen = new Map<string, string | null>([['src/main.ts', null]]);
    const queue = ['src/main.ts'];
    const reached: string[] = [];
    while (queue.length) {
      const f = queue.shift()!;
      let src = readFileSync(join(ROOT, f), 'utf8');
      if (f.endsWith('.svelte')) src = /<script[^>]*>([\s\S]*?)<\/script>/.exec(src)?.[1] ?? '';
      const re =
        /^\s*(?:import|export)\s+(?!type\b)([^'";]*?)\s*from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;
      for (const m of src.matchAll(re)) {
        const spec = (m[2] ?? m[3])!;
        if (m[1] && /^\{\s*(type\s+\w+\s*,?\s*)+\}$/.test(m[1])) continue;
        if (/^(@tensorflow|onnxruntime)/.test(spec)) {
          const chain = [spec];
          for (let c: string | null | undefined = f; c; c = seen.get(c)) chain.push(c);
          reached.push(chain.join(' <- '));
        }
        if (!spec.startsWith('.') || spec.includes('?')) continue;
        const p = relative(ROOT, resolve(ROOT, dirname(f), spec));
        if (!seen.has(p)) {
          seen.set(p, f);
          queue.push(p);
        }
      }
    }
    expect(seen.size).toBeGreaterThan(20);
    expect(reached).toEqual([]);
  });
  it('feature folders are imported through their curated index (families, drift measures)', () => {
    const folders = ['src/core/families', 'src/core/drift/measures'];
    for (const f of [...files('src'), ...files('workers'), ...files('bin'), ...files('tests')]) {
      for (const imp of imports(f).filter((i) => i.startsWith('.'))) {
        const target = relative(ROOT, resolve(ROOT, dirname(f), imp));
        for (const folder of folders)
          if (target.startsWith(`${folder}/`) && !f.startsWith(`${folder}/`))
            expect(target, `${f} reaches inside ${folder}`).toBe(`${folder}/index.ts`);
      }
    }
  });
});
