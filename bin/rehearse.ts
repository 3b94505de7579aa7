// `benchtop rehearse`: the app's production-test rehearsals from the command line — a model directory
// as champion against a challenger (another model directory, a model server, or the heuristic), over
// the champion run's held-out rows replayed one request at a time.
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { RehearsalConfig, RehearsalKind } from '../src/core/rollout/rehearsal.ts';
import { prepareRehearsal, runRehearsal, type SideSpec } from '../src/core/rollout/responders.ts';
import { readBundle, readTableFile } from './node-io.ts';

export const REHEARSE_HELP =
  `benchtop rehearse --model DIR|ZIP --data FILE --kind ` +
  `shadow|ab|canary|interleaving|bandit|fallback
                  --challenger DIR|ZIP|URL|heuristic [--protocol kserve-v2|tfserving] [--name MODEL]
                  [--requests 1000] [--seed 1] [--timeout-ms 200] [--steps 1,5,25,100] [--per-step 50] [--json]

Replays the held-out rows (validation and test) of the run that made --model (FILE must be its dataset)
one request at a time: the champion is --model; the challenger another model, a model server at URL
(KServe V2 by default; --name is its model name), or the heuristic (the training majority class or
mean). Prints the rehearsal's figures (and, with --json, its curves and log).
`;

const KINDS = ['shadow', 'ab', 'canary', 'interleaving', 'bandit', 'fallback'] as const;

export async function rehearseCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      data: { type: 'string' },
      kind: { type: 'string' },
      challenger: { type: 'string' },
      protocol: { type: 'string' },
      name: { type: 'string' },
      requests: { type: 'string' },
      seed: { type: 'string' },
      'timeout-ms': { type: 'string' },
      steps: { type: 'string' },
      'per-step': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return (process.stdout.write(REHEARSE_HELP), 0);
  const usage = (m: string) => Object.assign(new Error(m), { code: 'ERR_PARSE_ARGS_BENCHTOP' });
  for (const k of ['model', 'data', 'kind', 'challenger'] as const) if (!values[k]) throw usage(`--${k} is required`);
  const kind = values.kind as RehearsalKind;
  if (!(KINDS as readonly string[]).includes(kind))
    throw usage(`--kind must be one of ${KINDS.join(', ')}; got "${values.kind}"`);
  const num = (k: string, v: string | undefined, d: number) => {
    const x = v === undefined ? d : Number(v);
    if (!Number.isFinite(x) || x < 0) throw usage(`--${k} must be a number ≥ 0; got "${v}"`);
    return x;
  };
  await tf.setBackend('cpu');
  const b = await readBundle(values.model!);
  if (!b.ok) return problem(b.error);
  const t = await readTableFile(values.data!);
  if (!t.ok) return problem(t.error);
  const { model, run } = b.value;
  const prep = prepareRehearsal(run, model.preprocessor, t.value, basename(values.data!));
  if (!prep.ok) return problem(prep.error);
  let challenger: SideSpec;
  const c = values.challenger!;
  if (c === 'heuristic') challenger = { kind: 'heuristic', name: 'heuristic' };
  else if (/^https?:\/\//.test(c))
    challenger = {
      kind: 'remote',
      name: `cloud: ${values.name ?? run.name} at ${c}`,
      endpoint: {
        url: c,
        protocol: values.protocol === 'tfserving' ? 'tfserving' : 'kserve-v2',
        model: values.name ?? basename(values.model!).replace(/\.zip$/, ''),
      },
    };
  else {
    const other = await readBundle(c);
    if (!other.ok) return problem(other.error);
    challenger = { kind: 'local', name: `local: ${other.value.run.name}`, model: other.value.model };
  }
  const config: RehearsalConfig = {
    kind,
    requests: num('requests', values.requests, 1000),
    seed: num('seed', values.seed, 1),
    timeoutMs: num('timeout-ms', values['timeout-ms'], 200),
    canary: {
      steps: (values.steps ?? '1,5,25,100').split(',').map((x) => Number(x) / 100),
      perStep: num('per-step', values['per-step'], 50),
      rule: { maxErrorRate: 0.05, maxP95Ms: 500, maxAccuracyDrop: 0.03 },
    },
  };
  try {
    const res = await runRehearsal(
      kind,
      { kind: 'local', name: `local: ${run.name}`, model },
      challenger,
      prep.value,
      config,
      { signal: new AbortController().signal },
    );
    if (!res.ok) return problem(res.error);
    const r = res.value;
    const out = {
      ok: true,
      kind,
      champion: r.champion,
      challenger: r.challenger,
      requests: r.requests,
      streamRows: prep.value.ctx.rows.length,
      ms: Math.round(r.wallMs),
      summary: Object.fromEntries(r.summary.map((x) => [x.name, x.value])),
      ...(values.json
        ? { traces: r.traces, log: r.log }
        : { log: r.log.slice(0, 10).map((l) => `request ${l.request + 1}: ${l.text}`) }),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  } catch (e) {
    return problem({ kind: 'rehearsal-failed', message: (e as Error).message });
  }
}

function problem(error: { kind: string; message: string }): number {
  process.stderr.write(JSON.stringify({ ok: false, error }) + '\n');
  return 2;
}
