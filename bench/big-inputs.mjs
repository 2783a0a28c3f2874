// Big inputs through the built command line: the 1 MB expressions of test/limits (a sum of ~37,000
// distinct terms, random quadratic forms, ~59,000 variables) and a 10 MB sum that must be refused
// before parsing. Whole processes (`matcalc grad -`, the input on stdin); prints the median wall
// time, CPU time (user + system) and peak memory of BENCH_BIG_RUNS runs (default 3); asserts
// nothing. CPU time is the figure to compare on a shared machine (wall time includes waiting).
// BENCH_BIG_BASELINE=<another build's dist/src/cli/matcalc.js> runs each input on it too, interleaved;
// BENCH_BIG_QUICK=1 keeps the first input and the 10 MB refusal.
//   npm run build && node bench/big-inputs.mjs
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median } from './timing.mjs';

const bin = fileURLToPath(new URL('../dist/src/cli/matcalc.js', import.meta.url));
const runs = Number(process.env.BENCH_BIG_RUNS ?? 3);
const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Terms from `term(i)` joined by ` + ` until the text is at least `bytes` long. */
function sumOf(bytes, term) {
  const terms = [];
  let length = 0;
  while (length < bytes) {
    const t = term(terms.length + 1);
    terms.push(t);
    length += t.length + 3;
  }
  return { text: terms.join(' + '), count: terms.length };
}

/** test/limits' seeded quadratic forms and products over 3 vectors and 4 matrices. */
function quadraticForms(bytes) {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = (xs) => xs[Math.floor(random() * xs.length)];
  const [vectors, matrices] = [['x', 'y', 'z'], ['A', 'B', 'C', 'D']];
  return sumOf(bytes, (i) => {
    const r = random();
    return r < 0.33
      ? `${i}*${pick(vectors)}'*${pick(matrices)}*${pick(matrices)}*x`
      : r < 0.66
        ? `${i}*x'*${pick(matrices)}'*${pick(matrices)}*${pick(vectors)}`
        : `${i}*sum(tanh(${pick(matrices)}*x) .* ${pick(vectors)})`;
  });
}

const exps = sumOf(1_000_000, (i) => `sum(x .* exp(${i} * x))`);
const forms = quadraticForms(1_000_000);
const variables = sumOf(1_000_000, (i) => `a${i}'*exp(x)`);
const tenMb = sumOf(10_000_000, (i) => `sum(x .* exp(${i} * x))`);
const allCases = [
  [`1 MB sum of ${exps.count} terms sum(x .* exp(k * x)), --no-check`, exps.text, ['--no-check']],
  ['the same, with the check', exps.text, []],
  [`1 MB of ${forms.count} quadratic forms, with the check`, forms.text, []],
  [`1 MB sum of ${variables.count} terms a_iᵀexp(x), with the check`, variables.text, []],
  ['10 MB sum: refused before parsing (MC1050)', tenMb.text, []],
];
const cases = process.env.BENCH_BIG_QUICK ? [allCases[0], allCases.at(-1)] : allCases;
const builds = [['', bin], ...(process.env.BENCH_BIG_BASELINE ? [['baseline: ', process.env.BENCH_BIG_BASELINE]] : [])];

function once(build, input, args) {
  const argv = [build, 'grad', '-', '--wrt', 'x', ...args];
  const t0 = performance.now();
  const r = time
    ? spawnSync(time, ['-f', '%U %S %M', process.execPath, ...argv], { input, encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(process.execPath, argv, { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = performance.now() - t0;
  const [user, system, kb] = time ? r.stderr.trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
  const outcome = r.status === 0 ? /check\s+(\w+)/.exec(r.stdout)?.[1] ?? 'ok' : /MC\d{4}/.exec(r.stderr)?.[0] ?? `exit ${r.status}`;
  return { wall, cpu: (user + system) * 1000, mb: kb / 1024, outcome };
}

console.log(`\nbig inputs: whole processes (matcalc grad - --wrt x), median of ${runs}`);
console.log('   wall s    CPU s   peak MB   outcome       input');
for (const [label, input, args] of cases) {
  const results = builds.map(() => []);
  for (let r = 0; r < runs; r++) builds.forEach(([, build], b) => results[b].push(once(build, input, args)));
  builds.forEach(([prefix], b) => {
    const m = (key) => median(results[b].map((r) => r[key]));
    const figure = (x, digits) => (Number.isNaN(x) ? '—' : x.toFixed(digits));
    console.log(`  ${figure(m('wall') / 1000, 2).padStart(7)} ${figure(m('cpu') / 1000, 2).padStart(8)} ${figure(m('mb'), 0).padStart(9)}   ${results[b][0].outcome.padEnd(12)}  ${prefix}${label}`);
  });
}
