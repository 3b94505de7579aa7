#!/usr/bin/env node
// The Benchtop command line: a thin launcher that lets Node run the TypeScript core directly.
// Whatever goes wrong, a person sees one JSON object on stderr, never a stack trace (unless
// BENCHTOP_DEBUG=1): anything thrown or rejected that no command caught — inside tfjs, a timer, a
// stream — exits 70 (internal) with {"ok":false,"error":{"kind":"internal","message":…}}.
import { register } from 'tsx/esm/api';

const debug = ['1', 'true'].includes(process.env.BENCHTOP_DEBUG ?? '');
let internalError = (e) => ({
  kind: 'internal',
  message:
    `Benchtop hit an unexpected error: ${e instanceof Error ? e.message : String(e)}` +
    (debug ? '' : ' (set BENCHTOP_DEBUG=1 to see where it happened)'),
  ...(debug && e instanceof Error ? { stack: e.stack } : {}),
});
const die = (e) => {
  try {
    process.stderr.write(JSON.stringify({ ok: false, error: internalError(e) }, null, 2) + '\n');
  } finally {
    process.exit(70);
  }
};
process.on('uncaughtException', die);
process.on('unhandledRejection', die);

try {
  register();
  ({ internalError } = await import('./cli-errors.ts'));
  const { main } = await import('./cli.ts');
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  die(e);
}
