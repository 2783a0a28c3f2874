import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PYTHON_EXECUTABLE_ENV, PYTHON_SERVER_ENV, PYTHON_SOCKET_ENV } from '../helpers/python.js';

/**
 * vitest's globalSetup: starts the python3 fork server (test/helpers/python_server.py) that
 * test/helpers/python.ts's `python3()` asks, once per run; the workers start after this and inherit
 * its socket's path. Without python3, or with MATCALC_TEST_PYTHON_SERVER=off, nothing starts and
 * `python3()` spawns python3 as before. The server exits when this process closes its stdin.
 */
export default async function setup(): Promise<() => void | Promise<void>> {
  // Each project runs its globalSetup: the first one's server serves both.
  if (process.env[PYTHON_SOCKET_ENV] !== undefined || process.env[PYTHON_SERVER_ENV] === 'off') return () => {};
  const resolved = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  const executable = resolved.status === 0 ? resolved.stdout.trim() : '';
  if (executable === '') return () => {};
  const dir = mkdtempSync(join(tmpdir(), 'matcalc-python-server-'));
  const socket = join(dir, 'socket');
  const script = fileURLToPath(new URL('../helpers/python_server.py', import.meta.url));
  const server = spawn(executable, [script, socket], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = await new Promise<boolean>((resolve) => {
    let out = '';
    server.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n')) resolve(true);
    });
    server.on('error', () => resolve(false));
    server.on('exit', () => resolve(false));
  });
  // Closing its stdin ends the server once its last children are reaped (their CPU time then counts
  // as this process's children's, for /usr/bin/time); a kill only if it does not go within seconds.
  const stop = async (): Promise<void> => {
    const exited = new Promise<void>((resolve) => (server.exitCode !== null || server.signalCode !== null ? resolve() : server.on('exit', () => resolve())));
    server.stdin.end();
    const timer = setTimeout(() => server.kill(), 10_000);
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
  if (!ready) {
    await stop();
    return () => {};
  }
  process.env[PYTHON_SOCKET_ENV] = socket;
  process.env[PYTHON_EXECUTABLE_ENV] = executable;
  return stop;
}
