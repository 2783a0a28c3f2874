// `matcalc batch` throughput: requests per second on a file of small textbook requests (a line per
// gradient, each different), with and without the numeric check, on one thread and with --jobs 2
// (worker threads). Whole processes of the built CLI, wall time; prints figures, asserts nothing.
// BENCH_BATCH_LINES (default 10000; the issue's figure was 100000). `npm run bench` runs it; alone:
// `node bench/batch.mjs` after `npm run build`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/src/cli/matcalc.js', import.meta.url));
const count = Number(process.env.BENCH_BATCH_LINES ?? 10000);
const { cases } = JSON.parse(readFileSync(new URL('./textbook-set.json', import.meta.url), 'utf8'));

// The textbook set again and again, each line made different by a term that does not change f's
// meaning much (so that no two requests are the same text, as in a real batch).
const lines = [];
for (let i = 0; i < count; i++) {
  const c = cases[i % cases.length];
  lines.push(JSON.stringify({ expr: i < cases.length ? c.expr : `${c.expr} + ${1 + (i % 97)}*0`, wrt: c.wrt, ...(c.dims ? { dims: c.dims } : {}), ...(c.assume ? { assume: c.assume } : {}), id: i }));
}
const file = path.join(mkdtempSync(path.join(tmpdir(), 'matcalc-bench-batch-')), 'requests.jsonl');
writeFileSync(file, `${lines.join('\n')}\n`);

console.log(`\nbatch throughput: ${count} requests (bench/textbook-set.json, each line different), whole process, wall time`);
console.log('  requests/s   options');
const rates = new Map();
for (const args of [[], ['--jobs', '2'], ['--no-check'], ['--no-check', '--jobs', '2']]) {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, [bin, 'batch', ...args, file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = (performance.now() - t0) / 1000;
  const answered = run.stdout.split('\n').filter((l) => l.startsWith('{')).length;
  const rate = answered / seconds;
  rates.set(args.join(' '), rate);
  console.log(`  ${rate.toFixed(0).padStart(10)}   ${args.join(' ') || '(default: check, one thread)'}${answered === count ? '' : `  (${answered} of ${count} answered, exit ${run.status})`}`);
}
const speedup = (a, b) => (rates.get(b) / rates.get(a)).toFixed(2);
console.log(`  --jobs 2 / one thread: ${speedup('', '--jobs 2')}× with the check, ${speedup('--no-check', '--no-check --jobs 2')}× without (2 cores, shared)`);
