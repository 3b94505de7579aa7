#!/usr/bin/env node
// The Benchtop command line: a thin launcher that lets Node run the TypeScript core directly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
