// `benchtop rehearse`: the app's production-test rehearsals from the command line — a model directory
// as champion against a challenger (another model directory, a model server, or the heuristic), over
// the champion run's held-out rows replayed one request at a time.
import { basename } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { RehearsalConfig, RehearsalKind } from '../src/core/rollout/rehearsal.ts';
import { prepareRehearsal, runRehearsal, type SideSpec } from '../src/core/rollout/responders.ts';
import { ServingError } from '../src/core/serving/http.ts';
import { readBundle, readTableFile } from './node-io.ts';
import { EXIT, parseCommandArgs, reportError, UsageError } from './cli-errors.ts';

export const REHEARSE_HELP =
  `benchtop rehearse --model DIR|ZIP --data FILE --kind ` +
  `shadow|ab|canary|interleaving|bandit|fallback
                  --challenger DIR|ZIP|URL|heuristic [--protocol kserve-v2|tfserving] [--name MODEL]
                  [--champion-url URL [--champion-name MODEL]]
                  [--requests 1000] [--seed 1] [--timeout-ms 200] [--concurrency 8]
                  [--steps 1,5,25,100] [--per-step 50] [--json]

Replays the held-out rows (validation and test) of the run that made --model (FILE must be its dataset)
as requests: the champion is --model, or the model server at --champion-url (--champion-name is its
model name there; the stream and its encoding still come from --model); the challenger another model,
a model server at URL (KServe V2 by default; --name is its model name), or the heuristic (the training
majority class or mean). Every call to either side is abandoned after --timeout-ms and counted as a
timeout (in fallback, --timeout-ms is also the champion's budget before the challenger answers as
backup); --concurrency requests are in flight at once, so a run takes at most about
requests / concurrency × timeout. Prints the rehearsal's figures (and, with --json, its curves and log).
`;

const KINDS = ['shadow', 'ab', 'canary', 'interleaving', 'bandit', 'fallback'] as const;

export async function rehearseCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('rehearse', {
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
      concurrency: { type: 'string' },
      'champion-url': { type: 'string' },
      'champion-name': { type: 'string' },
      steps: { type: 'string' },
      'per-step': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return (process.stdout.write(REHEARSE_HELP), 0);
  const usage = (m: string) => new UsageError(m);
  for (const k of ['model', 'data', 'kind', 'challenger'] as const) if (!values[k]) throw usage(`--${k} is required`);
  const kind = values.kind as RehearsalKind;
  if (!(KINDS as readonly string[]).includes(kind))
    throw usage(`--kind must be one of ${KINDS.join(', ')}; got "${values.kind}"`);
  const num = (k: string, v: string | undefined, d: number) => {
    const x = v === undefined ? d : Number(v);
    if (!Number.isFinite(x) || x < 0 || (v !== undefined && v.trim() === ''))
      throw usage(`--${k} must be a number ≥ 0; got "${v}"`);
    return x;
  };
  const whole = (k: string, v: string | undefined, d: number, lo: number, hi: number) => {
    const x = num(k, v, d);
    if (!Number.isInteger(x) || x < lo || x > hi)
      throw usage(`--${k} must be a whole number from ${lo} to ${hi}; got "${v}"`);
    return x;
  };
  const url = (k: string, v: string) => {
    if (!/^https?:\/\/[^\s/]+/.test(v)) throw usage(`--${k} must be an http:// or https:// address; got "${v}"`);
    return v;
  };
  if (values.protocol !== undefined && !['kserve-v2', 'tfserving'].includes(values.protocol))
    throw usage(`--protocol must be kserve-v2 or tfserving; got "${values.protocol}"`);
  const protocol = values.protocol === 'tfserving' ? 'tfserving' : 'kserve-v2';
  const requests = whole('requests', values.requests, 1000, 1, 1_000_000);
  const timeoutMs = num('timeout-ms', values['timeout-ms'], 200);
  if (timeoutMs < 1) throw usage(`--timeout-ms must be at least 1; got "${values['timeout-ms']}"`);
  const concurrency = whole('concurrency', values.concurrency, 8, 1, 256);
  const championUrl = values['champion-url'] === undefined ? undefined : url('champion-url', values['champion-url']);
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
  const defaultName = basename(values.model!).replace(/\.zip$/, '');
  const champion: SideSpec = championUrl
    ? {
        kind: 'remote',
        name: `cloud: ${values['champion-name'] ?? defaultName} at ${championUrl}`,
        endpoint: { url: championUrl, protocol, model: values['champion-name'] ?? defaultName },
      }
    : { kind: 'local', name: `local: ${run.name}`, model };
  if (c === 'heuristic') challenger = { kind: 'heuristic', name: 'heuristic' };
  else if (/^https?:\/\//.test(c))
    challenger = {
      kind: 'remote',
      name: `cloud: ${values.name ?? run.name} at ${c}`,
      endpoint: { url: url('challenger', c), protocol, model: values.name ?? defaultName },
    };
  else {
    const other = await readBundle(c);
    if (!other.ok) return problem(other.error);
    challenger = { kind: 'local', name: `local: ${other.value.run.name}`, model: other.value.model };
  }
  const config: RehearsalConfig = {
    kind,
    requests,
    seed: num('seed', values.seed, 1),
    timeoutMs,
    callTimeoutMs: timeoutMs,
    concurrency,
    canary: {
      steps: (values.steps ?? '1,5,25,100').split(',').map((x) => Number(x) / 100),
      perStep: num('per-step', values['per-step'], 50),
      rule: { maxErrorRate: 0.05, maxP95Ms: 500, maxAccuracyDrop: 0.03 },
    },
  };
  try {
    const res = await runRehearsal(kind, champion, challenger, prep.value, config, {
      signal: new AbortController().signal,
    });
    if (!res.ok) return problem(res.error);
    const r = res.value;
    const out = {
      ok: true,
      kind,
      champion: r.champion,
      challenger: r.challenger,
      requests: r.requests,
      streamRows: prep.value.ctx.rows.length,
      timeoutMs,
      concurrency,
      ms: Math.round(r.wallMs),
      summary: Object.fromEntries(r.summary.map((x) => [x.name, x.value])),
      // The notes of loading the data file (values read as missing, repaired names, …).
      warnings: [...t.warnings, ...prep.warnings].map((w) => w.message),
      ...(values.json
        ? { traces: r.traces, log: r.log }
        : { log: r.log.slice(0, 10).map((l) => `request ${l.request + 1}: ${l.text}`) }),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  } catch (e) {
    if (e instanceof ServingError) return problem({ kind: `endpoint-${e.kind}`, message: e.message });
    return problem({ kind: 'rehearsal-failed', message: (e as Error).message });
  }
}

function problem(error: { kind: string; message: string }): number {
  return reportError(error, EXIT.input);
}
