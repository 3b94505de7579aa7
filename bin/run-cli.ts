// Tests run the real command line as a subprocess: `node bin/benchtop.mjs …`, capturing its exit code and output.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = new URL('./benchtop.mjs', import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runBenchtop(
  args: string[],
  o: { cwd: string; timeout?: number; env?: NodeJS.ProcessEnv; nodeArgs?: string[] },
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...(o.nodeArgs ?? []), CLI, ...args], {
      cwd: o.cwd,
      env: o.env,
      timeout: o.timeout,
      maxBuffer: 1 << 24,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
