/** The schema of a bundle's `manifest.json` (src/core/store/bundle.ts). */
import * as v from 'valibot';
import { count, id, LIMITS, list, record, text } from './primitives.ts';

export const BUNDLE_FORMAT = 'benchtop-bundle@1';

/** What a bundle holds, and each file's SHA-256 and size. */
export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  createdAt: string;
  runs: string[];
  versions: string[];
  datasets: string[];
  files: Record<string, { sha256: string; bytes: number }>;
}

export const ManifestSchema = v.pipe(
  record(
    {
      format: v.literal(BUNDLE_FORMAT, `the format "${BUNDLE_FORMAT}" (a Benchtop bundle)`),
      createdAt: text(LIMITS.id),
      runs: list(id, 'a list of run ids'),
      versions: list(id, 'a list of version ids'),
      datasets: v.optional(list(id, 'a list of dataset ids'), []),
      files: v.record(
        v.pipe(v.string(), v.maxLength(LIMITS.name, `a path of at most ${LIMITS.name} characters`)),
        record({
          sha256: v.pipe(v.string('a SHA-256 (64 hex digits)'), v.regex(/^[0-9a-f]{64}$/, 'a SHA-256 (64 hex digits)')),
          bytes: count,
        }),
        'an object of files',
      ),
    },
    'a bundle manifest',
  ),
  v.transform((m): BundleManifest => m),
);
