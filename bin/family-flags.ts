import type { TrainConfig } from '../src/core/contracts/train-config.ts';
import { configFor, DEFAULT_FAMILY, DEFAULT_SEED } from '../src/core/families/index.ts';
import type { ParamField } from '../src/core/families/index.ts';
import { flagOf, parseFieldText } from '../src/core/families/index.ts';
import { FAMILIES, FAMILY_KINDS, familyOf } from '../src/core/families/index.ts';

/** Every family field once per flag (families sharing a field share its flag). */
function fieldsByFlag(): Map<string, ParamField> {
  const out = new Map<string, ParamField>();
  for (const kind of FAMILY_KINDS)
    for (const f of FAMILIES[kind].fields) if (!out.has(flagOf(f))) out.set(flagOf(f), f);
  return out;
}

/** `parseArgs` options for `--model`, `--seed` and every family parameter, read from the registry. */
export const CONFIG_OPTIONS: Record<string, { type: 'string' | 'boolean' }> = Object.freeze({
  model: { type: 'string' },
  seed: { type: 'string' },
  ...Object.fromEntries(
    [...fieldsByFlag()].map(([flag, f]) => [
      flag,
      { type: f.type === 'bool' ? ('boolean' as const) : ('string' as const) },
    ]),
  ),
});

const shown = (f: ParamField) => (Array.isArray(f.default) ? f.default.join(',') : String(f.default));

/** The help's model section: each family with its flags, defaults and choices (from the registry). */
export function familyHelp(): string {
  const lines = [`  --model KIND         ${FAMILY_KINDS.join(' | ')} (default ${DEFAULT_FAMILY})`];
  for (const kind of FAMILY_KINDS) {
    const fam = FAMILIES[kind];
    lines.push(`  ${kind} — ${fam.label} (${fam.tasks.join(', ')}):`);
    for (const f of fam.fields) {
      const value = f.type === 'bool' ? '' : f.type === 'choice' ? ` ${f.choices.join('|')}` : ' X';
      lines.push(`    --${flagOf(f)}${value}`.padEnd(34) + `${f.help} (default ${shown(f)})`);
    }
  }
  return lines.join('\n') + '\n';
}

export class FlagError extends Error {}

/**
 * A training configuration from command-line values: the family from `--model`, its parameters from
 * their flags over the family's defaults (flags of other families are ignored, so one command line
 * can serve several families). Ranges are checked later by `validateConfig`.
 * @throws FlagError for an unknown family or a value that does not parse (the message names the flag).
 */
export function configFromFlags(v: Record<string, string | boolean | undefined>): TrainConfig {
  const kind = (v.model as string | undefined) ?? DEFAULT_FAMILY;
  const family = familyOf(kind);
  if (!family) throw new FlagError(`--model must be one of ${FAMILY_KINDS.join(', ')}, got "${kind}"`);
  const params: Record<string, TrainConfig['params'][string]> = {};
  for (const f of family.fields) {
    const raw = v[flagOf(f)];
    if (raw === undefined || (f.type === 'bool' && raw === false)) continue;
    const parsed = parseFieldText(f, raw === true ? '' : String(raw));
    if (!parsed.ok) throw new FlagError(parsed.message);
    params[f.name] = parsed.value;
  }
  const seedText = v.seed as string | undefined;
  const seed = seedText === undefined ? DEFAULT_SEED : Number(seedText);
  if (seedText !== undefined && (seedText.trim() === '' || Number.isNaN(seed)))
    throw new FlagError(`--seed must be a number, got "${seedText}"`);
  return configFor(kind, params, seed);
}
