import type { BackendName } from '../../core/model/spec.ts';
import { defaultParams, lessonDef } from './catalog.ts';
import type { LessonId, Params } from './types.ts';

/**
 * `#lesson=ID&key=value…&backend=…&run=1` ⇄ a lesson and its parameters (unknown or bad values fall
 * back to defaults).
 */
export function lessonFromHash(
  hash: string,
): { id: LessonId; params: Params; backend: BackendName | 'auto'; run: boolean } | null {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const def = lessonDef(q.get('lesson') ?? '');
  if (!def) return null;
  const params = defaultParams(def);
  for (const p of def.params) {
    const v = q.get(p.key);
    if (v === null) continue;
    if (p.kind === 'choice') {
      if (p.choices!.includes(v)) params[p.key] = v;
    } else {
      const x = Number(v);
      if (Number.isFinite(x) && x >= (p.min ?? -Infinity) && x <= (p.max ?? Infinity)) params[p.key] = x;
    }
  }
  const b = q.get('backend');
  const backend = (['wasm', 'webgl', 'webgpu', 'cpu'] as const).find((x) => x === b) ?? 'auto';
  return { id: def.id, params, backend, run: q.get('run') === '1' };
}

export function lessonHash(id: LessonId, params: Params, backend: BackendName | 'auto', run = true): string {
  const q = new URLSearchParams({ lesson: id });
  for (const [k, v] of Object.entries(params)) q.set(k, String(v));
  if (backend !== 'auto') q.set('backend', backend);
  if (run) q.set('run', '1');
  return `#${q.toString()}`;
}
