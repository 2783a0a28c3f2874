import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { jsonSchema } from '../../src/emit/schema.js';

/** The schema of `matcalc schema`, compiled once per test file, and the built CLI run as a child process. */

const root = fileURLToPath(new URL('../../', import.meta.url));
export const bin = path.join(root, 'dist', 'src', 'cli', 'matcalc.js');

export function compileSchema(ref?: string) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addSchema(jsonSchema(), 'matcalc');
  const validate = ajv.getSchema(ref ? `matcalc#/$defs/${ref}` : 'matcalc');
  if (!validate) throw new Error(`no schema ${ref}`);
  return (value: unknown): string[] => (validate(value) ? [] : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath} ${e.message ?? ''}`));
}

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * How the bin's launcher (the shell line at its top, scripts/bundle-cli.mjs) starts Node, without
 * its shell: from the start-up snapshot when this Node built it
 * and NODE_OPTIONS is empty, else the plain start. A snapshot start is ~0.1 s of CPU less per run,
 * and the tests start the CLI many hundreds of times; test/cli/startup-snapshot.test.ts checks that
 * both starts answer byte for byte alike and that the launcher chooses as this does.
 */
const snapshot = path.join(path.dirname(bin), 'matcalc.snapshot');
const snapshotBuiltHere = (() => {
  try {
    return existsSync(snapshot) && readFileSync(`${snapshot}.node`, 'utf8').trim() === process.version;
  } catch {
    return false;
  }
})();
function binCommand(args: readonly string[], env: Record<string, string | undefined>): string[] {
  return snapshotBuiltHere && !env.NODE_OPTIONS ? ['--snapshot-blob', snapshot, '--', bin, ...args] : [bin, ...args];
}
/** The launcher's malloc tunables (huge pages for the blob's buffers), read from its line. */
const launcherTunables = (() => {
  try {
    return /\$GLIBC_TUNABLES:\}([^;\s]+);/.exec(readFileSync(bin, 'utf8'))?.[1];
  } catch {
    return undefined; // not built
  }
})();
/**
 * The environment as the launcher passes it on: its tunables after the caller's own, and without
 * NODE_EXTRA_CA_CERTS (a certificate bundle Node would parse at start; matcalc opens no connection).
 */
const asLauncherPasses = (env: Record<string, string | undefined>): Record<string, string | undefined> => {
  const { NODE_EXTRA_CA_CERTS: _unused, ...rest } = env;
  return launcherTunables ? { ...rest, GLIBC_TUNABLES: `${env.GLIBC_TUNABLES ? `${env.GLIBC_TUNABLES}:` : ''}${launcherTunables}` } : rest;
};

/** The built CLI as a child process, NO_COLOR set; `env` adds variables (undefined removes one). */
export function matcalc(args: readonly string[], input = '', env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const environment = asLauncherPasses({ ...process.env, NO_COLOR: '1', ...env });
    const child = spawn(process.execPath, binCommand(args, environment), { env: environment, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
