#!/usr/bin/env node
/**
 * Figures for the engine's resource bounds (issue 17), printed, never asserted:
 *  1. the numeric check under its budget at big --dims (wall time and peak RSS of the CLI);
 *  2. the check with many --wrt variables (linear, not quadratic);
 *  3. library memory over 10,000 distinct expressions (heap after a full GC), with the term tables'
 *     automatic new generations and with them disabled.
 *
 *   npm run build && node --expose-gc bench/engine-limits.mjs [--quick]
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = path.join(root, 'dist', 'src', 'cli', 'matcalc.js');
const quick = process.argv.includes('--quick');

function cli(args) {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - started;
  const peakKb = Number(r.stderr.trim().split('\n').pop());
  const check = /check\s+(\w+)/.exec(r.stdout)?.[1] ?? `exit ${r.status}`;
  return { ms, peakMb: peakKb / 1024, check };
}

console.log('1. the check under its budget (verify/budget.ts), CLI wall time and peak RSS');
for (const [expr, dims] of [
  ['logdet(X)', 'X=2000x2000'],
  ["a'*exp(X*b)", 'X=10000x10000'],
  ['logdet(X) + tr(X*X)', 'X=100000x100000'],
]) {
  const r = cli(['grad', expr, '--wrt', 'X', '--dims', dims]);
  console.log(`  grad ${expr.padEnd(22)} --dims ${dims.padEnd(16)} ${(r.ms / 1000).toFixed(2).padStart(6)} s  ${r.peakMb.toFixed(0).padStart(5)} MB  check ${r.check}`);
}

console.log('2. the check with many --wrt variables');
for (const n of quick ? [250, 500] : [500, 1000, 2000]) {
  const expr = Array.from({ length: n }, (_, i) => `sum(exp(v${i}.*w${i}))`).join(' + ');
  const wrt = Array.from({ length: n }, (_, i) => `w${i}`).join(',');
  const withCheck = cli(['grad', expr, '--wrt', wrt]);
  const without = cli(['grad', expr, '--wrt', wrt, '--no-check']);
  console.log(`  ${String(n).padStart(5)} variables: ${(withCheck.ms / 1000).toFixed(2).padStart(6)} s with the check, ${(without.ms / 1000).toFixed(2).padStart(6)} s without  (check ${withCheck.check})`);
}

console.log('3. library memory over distinct expressions (heap after GC)');
const { gradient } = await import(path.join(root, 'dist', 'src', 'index.js'));
const { generationPolicy } = await import(path.join(root, 'dist', 'src', 'term', 'generations.js'));
const gc = globalThis.gc ?? (() => {});
if (!globalThis.gc) console.log('  (run with node --expose-gc for exact figures)');
const count = quick ? 2000 : 10_000;
// Warm up first (JIT, the rulebook), so that neither run pays for it.
for (let i = 0; i < 1000; i++) gradient({ expression: `sum(exp(${i + 1}*z .* w))`, wrt: 'z', check: false });
for (const [label, resetAt] of [
  ['new generations (default)', generationPolicy.resetAt],
  ['never reset (before)', Number.POSITIVE_INFINITY],
]) {
  generationPolicy.resetAt = resetAt;
  gc();
  const start = process.memoryUsage().heapUsed;
  const started = performance.now();
  for (let i = 0; i < count; i++) gradient({ expression: `sum(exp(${i + 1}*x .* y)) + a${i % 50}'*X*b`, wrt: 'x', check: false });
  gc();
  const end = process.memoryUsage().heapUsed;
  console.log(`  ${label.padEnd(26)} ${count} expressions: heap ${(start / 2 ** 20).toFixed(1)} → ${(end / 2 ** 20).toFixed(1)} MB, ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
