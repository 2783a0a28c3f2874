import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

/**
 * The bin runs dist/src/cli/matcalc.script.js with V8's code cache for it (scripts/bundle-cli.mjs).
 * The cache only saves time: this Node must accept the cache the build wrote, and a Node that
 * rejects it (here: a V8 flag that changes the cache's flag hash) must still give the same output.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = path.join(root, 'dist', 'src', 'cli');
const bin = path.join(cli, 'matcalc.js');
const script = path.join(cli, 'matcalc.script.js');
const cache = path.join(cli, 'matcalc.script.cache');
const env = { ...process.env, NO_COLOR: '1' };

/** Whether V8, started with `flags`, rejects the cache for the script. */
function rejected(flags: readonly string[]): string {
  const probe = `const vm = require('node:vm'), fs = require('node:fs');
const s = new vm.Script(fs.readFileSync(${JSON.stringify(script)}, 'utf8'), { filename: ${JSON.stringify(script)}, cachedData: fs.readFileSync(${JSON.stringify(cache)}) });
process.stdout.write(String(s.cachedDataRejected));`;
  return spawnSync(process.execPath, [...flags, '-e', probe], { encoding: 'utf8', env }).stdout;
}

test('the build writes a code cache that this Node accepts', () => {
  expect(existsSync(script)).toBe(true);
  expect(existsSync(cache)).toBe(true);
  expect(rejected([])).toBe('false');
});

test('a rejected code cache changes nothing but the time', () => {
  expect(rejected(['--no-opt'])).toBe('true');
  const args = [bin, 'grad', 'aᵀexp(Xb)', '--wrt', 'X'];
  const cached = spawnSync(process.execPath, args, { encoding: 'utf8', env });
  const compiled = spawnSync(process.execPath, ['--no-opt', ...args], { encoding: 'utf8', env });
  expect(cached.status).toBe(0);
  expect(compiled.status).toBe(0);
  expect(compiled.stderr).toBe('');
  expect(compiled.stdout).toBe(cached.stdout);
  expect(cached.stdout).toMatch(/^f = aᵀexp\(Xb\)\n∇_X f = \(exp\(Xb\) ⊙ a\)bᵀ\n/);
});
