#!/usr/bin/env node
/**
 * The hostile-program generator of test/attack/engine.test.ts, run long: many random, often
 * ill-shaped programs through grad, diff, jac and hess; any exception (an exit 70) fails.
 *
 *   node scripts/fuzz-engine.mjs [--n 5000] [--seed 17]
 */
import { spawnSync } from 'node:child_process';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
};
const n = arg('--n', '5000');
const seed = arg('--seed', String(Date.now() % 2 ** 31));
if (!/^\d+$/.test(n) || !/^\d+$/.test(seed)) {
  console.error('usage: node scripts/fuzz-engine.mjs [--n 5000] [--seed S]');
  process.exit(2);
}
console.log(`fuzz-engine: ${n} programs, seed ${seed}`);
const r = spawnSync('npx', ['vitest', 'run', 'test/attack/engine.test.ts', '-t', 'random programs', '--testTimeout', '3600000'], {
  stdio: 'inherit',
  env: { ...process.env, MATCALC_ENGINE_FUZZ: n, MATCALC_ENGINE_SEED: seed },
});
process.exit(r.status ?? 1);
