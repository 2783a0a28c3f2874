#!/usr/bin/env node
/**
 * Fuzzing the gradient pipeline with the property tests' generator of random well-shaped
 * expressions (test/helpers/arbitraries.ts), against the built library (dist/).
 *
 *   npm run fuzz -- --n 100000 --seed 42 [--command grad|diff|jac|hess] [--out fuzz-failures] [--minimise 10]
 *   npm run fuzz -- --formats [--n 200] [--minutes M] …   every output format through its consumer
 *                                                        (scripts/fuzz-formats.mjs)
 *
 * Every case is run through gradient() (or, with --command, derivative(): the differential, the
 * Jacobian or the Hessian of the same expressions) with the numeric check and counted as
 *   agree        the check passed
 *   disagree     the check failed (the gradient and finite differences differ)
 *   inconclusive the check could not decide (counted per reason)
 *   refused      a diagnostic (counted per code/id): the generator only makes well-shaped input
 *   crashed      gradient() threw
 * Each distinct disagreement or crash (up to --minimise of them) is shrunk by fast-check and
 * written as JSON to fuzz-failures/. Exit 1 if anything disagreed or crashed.
 *
 * The generator is TypeScript under test/ (not part of the build): it is transpiled on the fly with
 * the TypeScript compiler into node_modules/.cache/matcalc-fuzz/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import ts from 'typescript';

const root = fileURLToPath(new URL('../', import.meta.url));

// `--formats`: the output-format fuzzer (scripts/fuzz-formats.mjs), a mode of its own.
if (process.argv.includes('--formats')) {
  const { runFormatsFuzz } = await import('./fuzz-formats.mjs');
  process.exit(await runFormatsFuzz(process.argv.slice(2).filter((a) => a !== '--formats')));
}

function parseArgs(argv) {
  const opts = { n: 1000, seed: Date.now() % 2 ** 31, out: 'fuzz-failures', minimise: 10, quiet: false, command: 'grad' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--n') opts.n = Number(value());
    else if (a === '--seed') opts.seed = Number(value());
    else if (a === '--out') opts.out = value();
    else if (a === '--minimise' || a === '--minimize') opts.minimise = Number(value());
    else if (a === '--quiet') opts.quiet = true;
    else if (a === '--command') opts.command = value();
    else if (a === '--help' || a === '-h') usage();
    else usage(`unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.n) || opts.n < 1) usage('--n must be a positive integer');
  if (!Number.isInteger(opts.seed)) usage('--seed must be an integer');
  if (!['grad', 'diff', 'jac', 'hess'].includes(opts.command)) usage('--command must be grad, diff, jac or hess');
  return opts;
}

function usage(error) {
  const text = 'usage: npm run fuzz -- [--n 1000] [--seed S] [--command grad|diff|jac|hess] [--out fuzz-failures] [--minimise 10] [--quiet]';
  if (error) {
    console.error(`fuzz: ${error}\n${text}`);
    process.exit(2);
  }
  console.log(text);
  process.exit(0);
}

async function loadArbitraries() {
  const file = path.join(root, 'test', 'helpers', 'arbitraries.ts');
  const out = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    fileName: file,
  });
  const dir = path.join(root, 'node_modules', '.cache', 'matcalc-fuzz');
  mkdirSync(dir, { recursive: true });
  const target = path.join(dir, 'arbitraries.mjs');
  writeFileSync(target, out.outputText);
  return import(pathToFileURL(target).href);
}

const { gradient, derivative } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'pipeline.js')).href);
const { gradientCase, replay } = await loadArbitraries();

/** Runs one case: { kind, reason, detail }. */
function classify(c) {
  let result;
  try {
    const request = { expression: c.expression, wrt: c.wrt, dims: c.dims, seed: c.seed, check: true };
    // diff, jac and hess take one variable of the case (hess of several would add every mixed block).
    result = opts.command === 'grad' ? gradient(request) : derivative({ ...request, command: opts.command, wrt: c.wrt[0] });
  } catch (error) {
    const e = /** @type {Error} */ (error);
    const message = String(e?.message ?? error);
    return { kind: 'crashed', reason: `${e?.name ?? 'Error'}: ${message.split('\n')[0]}`, detail: String(e?.stack ?? message) };
  }
  if (!result.ok) {
    const d = result.diagnostics[0];
    return { kind: 'refused', reason: `${d?.code} ${d?.id}`, detail: result.diagnostics.map((x) => `${x.code}: ${x.message}`).join('\n') };
  }
  const check = result.value.check;
  if (!check) return { kind: 'inconclusive', reason: 'no check in the report', detail: '' };
  if (check.status === 'passed') return { kind: 'agree', reason: '', detail: '' };
  if (check.status === 'failed') return { kind: 'disagree', reason: 'numeric check failed', detail: `${check.reason ?? ''} (relative error ${check.relativeError})` };
  return { kind: 'inconclusive', reason: check.reason ? check.reason.replace(/(?<![A-Za-z_])[-+]?\d[\d.e+-]*/g, "#") : 'no reason given', detail: check.reason ?? '' };
}

const isFailure = (k) => k === 'disagree' || k === 'crashed';
/** Crash reasons are grouped by message without numbers, so the same bug is minimised once. */
const signature = (r) => `${r.kind}|${r.reason.replace(/\d+/g, '#')}`;

function tally(map, key) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function printTable(title, map) {
  if (map.size === 0) return;
  console.log(`  ${title}:`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1])) console.log(`    ${String(v).padStart(7)}  ${k}`);
}

const opts = parseArgs(process.argv.slice(2));
const arb = gradientCase();
const counts = { agree: 0, disagree: 0, inconclusive: 0, refused: 0, crashed: 0 };
const inconclusive = new Map();
const refused = new Map();
const failures = new Map(); // signature → { index, case, result, count }
let slowest = { ms: 0, c: undefined };
let index = 0;
const started = performance.now();
let lastReport = started;

console.log(`fuzz: ${opts.n} cases, seed ${opts.seed}`);
// One deterministic stream of cases: run i of fc.check with this seed is case i, whatever the predicate.
fc.check(
  fc.property(arb, (c) => {
    const t0 = performance.now();
    const r = classify(c);
    const ms = performance.now() - t0;
    if (ms > slowest.ms) slowest = { ms, c };
    counts[r.kind]++;
    if (r.kind === 'inconclusive') tally(inconclusive, r.reason);
    if (r.kind === 'refused') tally(refused, r.reason);
    if (isFailure(r.kind)) {
      const sig = signature(r);
      const known = failures.get(sig);
      if (known) known.count++;
      else failures.set(sig, { index, case: c, result: r, count: 1 });
    }
    index++;
    const now = performance.now();
    if (!opts.quiet && now - lastReport > 10_000) {
      lastReport = now;
      const rate = (index / (now - started)) * 1000;
      console.log(`  … ${index}/${opts.n} (${rate.toFixed(0)}/s) agree ${counts.agree}, disagree ${counts.disagree}, inconclusive ${counts.inconclusive}, refused ${counts.refused}, crashed ${counts.crashed}`);
    }
    return true;
  }),
  { seed: opts.seed, numRuns: opts.n },
);
const seconds = (performance.now() - started) / 1000;

console.log(`fuzz: ${index} cases in ${seconds.toFixed(1)} s (${(index / seconds).toFixed(0)} cases/s), seed ${opts.seed}`);
for (const k of Object.keys(counts)) console.log(`  ${k.padEnd(13)} ${counts[k]}`);
printTable('inconclusive, by reason', inconclusive);
printTable('refused, by diagnostic', refused);
if (slowest.c) console.log(`  slowest case: ${slowest.ms.toFixed(0)} ms: ${JSON.stringify(slowest.c.expression)}`);

/**
 * Minimises one failure: fast-check replays the failing run (path = its index in the stream) with a
 * predicate that fails on the same kind of failure, and shrinks it.
 */
function minimise(entry) {
  const sig = signature(entry.result);
  const details = fc.check(
    fc.property(arb, (c) => signature(classify(c)) !== sig),
    { seed: opts.seed, path: String(entry.index), numRuns: 1 },
  );
  const smallest = details.failed && details.counterexample ? details.counterexample[0] : entry.case;
  return { smallest, path: details.counterexamplePath ?? String(entry.index), shrunk: details.failed };
}

if (failures.size > 0) {
  const outDir = path.resolve(root, opts.out);
  mkdirSync(outDir, { recursive: true });
  console.log(`fuzz: ${failures.size} distinct failure(s); minimising up to ${opts.minimise}`);
  let n = 0;
  for (const [sig, entry] of failures) {
    if (n++ >= opts.minimise) break;
    const { smallest, path: fcPath, shrunk } = minimise(entry);
    const outcome = classify(smallest);
    const wrt = opts.command === 'grad' ? smallest.wrt.join(',') : smallest.wrt[0];
    const record = {
      command: opts.command,
      what: outcome.kind,
      reason: outcome.reason,
      detail: outcome.detail,
      expression: smallest.expression,
      dims: smallest.dims,
      wrt,
      seed: smallest.seed,
      replay: replay({ ...smallest, wrt: [wrt] }).replace('matcalc grad', `matcalc ${opts.command}`),
      original: { expression: entry.case.expression, dims: entry.case.dims, wrt: entry.case.wrt.join(','), seed: entry.case.seed },
      occurrences: entry.count,
      shrunk,
      fuzz: { seed: opts.seed, run: entry.index, path: fcPath },
    };
    const file = path.join(outDir, `${opts.command}-${entry.result.kind}-seed${opts.seed}-run${entry.index}.json`);
    writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
    console.log(`  ${sig} ×${entry.count}\n    minimal: matcalc ${opts.command} ${smallest.expression}  (--wrt ${record.wrt} --dims "${smallest.dims}" --seed ${smallest.seed})\n    → ${path.relative(root, file)}`);
  }
}

process.exit(counts.disagree + counts.crashed > 0 ? 1 : 0);
