/**
 * Fuzzing the output formats (issue 17): random names (Latin, Greek small and capital letters,
 * subscripts), random whitespace (CR, form feed, no-break and thin spaces), random templates and
 * random hostile source texts go through every emitter, and each output is handed to its consumer:
 *
 *   json     JSON.parse (and no raw control character)
 *   latex    pdflatex: exit 0, no missing character, no overfull box, nothing before
 *            \documentclass but comments (skipped when pdflatex is missing, with a message)
 *   html     KaTeX rendered it (no katex-error, no strict-mode warning), no <script, no raw control
 *   numpy    python3 runs the module; its own self-check passes (skipped without python3 + numpy)
 *   torch    the same with PyTorch (skipped without torch)
 *   text     the function as read and the gradient print, with no raw control character
 *
 *   npm run fuzz -- --formats [--n 200] [--seed S] [--minutes M] [--out fuzz-failures] [--no-tex] [--no-python]
 *
 * With --minutes it runs until that much time has passed (a long run), else --n cases. Each
 * failure is written as JSON to fuzz-failures/ with the request that reproduces it. Exit 1 if any.
 * Kept out of `npm test`: one case runs pdflatex and python3 several times.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const load = (file) => import(pathToFileURL(path.join(root, 'dist', 'src', file)).href);

/** A small seeded generator (mulberry32): the same seed gives the same cases. */
function rngOf(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LETTERS = [...'abcuvwxyzABCMWXαβγλμσφωΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ'];
const SUBSCRIPTS = ['', '', '', '1', '2', '₁', '₂₃', '_3', '_k', '_ab'];
/** Whitespace the lexer accepts inside an expression: CR and FF must never end a TeX comment. */
const SPACES = [' ', ' ', ' ', '\t', '\r', '\f', '\v', '\u00a0', '\u2009', '\u202f', '\u3000'];
/** Texts a caller of the library may put where the input is quoted (the report's source). */
const HOSTILE = [
  "x'x\r\\input{/etc/passwd}",
  "x'x\n\\end{document}\u2028\\input{x}",
  '"""; import os; os.system("echo PWNED") #\\N{BEL}"',
  '</pre><script>alert(1)</script><!--',
  '\u001b]0;PWNED\u0007\u001b[2J\u009b31m\u202e\u2066\ufeff\u0000',
  '% } { $ & # ^ _ ~ \\ -- --- `` \'\' < > |',
];

/** Templates over a vector u, a matrix M and a vector v: [command, expression]. */
const TEMPLATES = [
  ['grad', (u, M, v) => `${u}'*${M}*${v}`],
  ['grad', (u, M, v) => `${u}'*exp(${M}*${v})`],
  ['grad', (u, M, v) => `norm2(${M}*${v} - ${u})^2 + 0.5*tr(${M}'*${M})`],
  ['grad', (u, M, v) => `Y = sigmoid(${M}*${v}); sum(Y) / (${u}'*${u} + 1)`],
  ['grad', (u, M, v) => `logdet(${M}'*${M} + eye) - ${u}'*${v}`],
  ['jac', (u, M, v) => `${M}*${v} - ${u}`],
  ['jac', (u, M, v) => `tanh(${M}*${v}) .* ${u}`],
  ['hess', (u, M, v) => `${v}'*${M}*${v} + sum(exp(${u} .* ${v}))`],
  ['diff', (u, M, v) => `inv(${M}) * ${u} * ${v}'`],
];

function makeCase(rng, index) {
  const pick = (list) => list[Math.floor(rng() * list.length)];
  const name = () => (rng() < 0.3 ? pick(LETTERS) + pick(LETTERS) : pick(LETTERS)) + pick(SUBSCRIPTS);
  let names;
  do names = [name(), name(), name()];
  while (new Set(names).size < 3);
  const [u, M, v] = names;
  const [command, template] = TEMPLATES[index % TEMPLATES.length];
  const spaced = template(u, M, v).replace(/ /g, () => pick(SPACES));
  return {
    command,
    expression: spaced,
    wrt: command === 'grad' ? [u, M, v] : [v],
    dims: `${u}=3,${M}=3x3,${v}=3`,
    hostileSource: rng() < 0.3 ? pick(HOSTILE) : undefined,
    seed: 1 + Math.floor(rng() * 1000),
  };
}

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const TEX_PROBLEMS = /^!|Overfull \\[hv]box|Missing character|Unicode character|Undefined control sequence/;

function parseArgs(argv) {
  const opts = { n: 200, seed: Date.now() % 2 ** 31, minutes: undefined, out: 'fuzz-failures', tex: true, python: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i] ?? fail(`${a} needs a value`);
    if (a === '--n') opts.n = Number(value());
    else if (a === '--seed') opts.seed = Number(value());
    else if (a === '--minutes') opts.minutes = Number(value());
    else if (a === '--out') opts.out = value();
    else if (a === '--no-tex') opts.tex = false;
    else if (a === '--no-python') opts.python = false;
    else fail(`unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.n) || opts.n < 1) fail('--n must be a positive integer');
  if (!Number.isInteger(opts.seed)) fail('--seed must be an integer');
  if (opts.minutes !== undefined && !(opts.minutes > 0)) fail('--minutes must be a positive number');
  return opts;
}

function fail(message) {
  console.error(`fuzz --formats: ${message}\nusage: npm run fuzz -- --formats [--n 200] [--seed S] [--minutes M] [--out fuzz-failures] [--no-tex] [--no-python]`);
  process.exit(2);
}

const available = (command, args) => spawnSync(command, args, { encoding: 'utf8' }).status === 0;

/** Runs the format fuzzer with the arguments after --formats; returns the exit code. */
export async function runFormatsFuzz(argv) {
  const opts = parseArgs(argv);
  const { gradient, derivative } = await load('pipeline.js');
  const { FORMATS } = await load('emit/formats.js');
  const { functionText, gradientViews } = await load('emit/report.js');
  const hasTex = opts.tex && available('pdflatex', ['--version']);
  const hasNumpy = opts.python && available('python3', ['-c', 'import numpy']);
  const hasTorch = hasNumpy && available('python3', ['-c', 'import torch']);
  if (!hasTex) console.log('fuzz --formats: pdflatex not used (missing or --no-tex)');
  if (!hasNumpy) console.log('fuzz --formats: python3 with numpy not used (missing or --no-python)');
  if (hasNumpy && !hasTorch) console.log('fuzz --formats: torch is not installed; the torch modules are only generated');

  const work = mkdtempSync(path.join(tmpdir(), 'matcalc-fuzz-formats-'));
  const counts = new Map();
  const failures = [];
  const count = (format, ok) => {
    const c = counts.get(format) ?? { ok: 0, failed: 0 };
    c[ok ? 'ok' : 'failed']++;
    counts.set(format, c);
  };
  const warnings = [];
  const realWarn = console.warn;
  console.warn = (...args) => warnings.push(args.map(String).join(' '));

  const checks = {
    json: (out) => {
      if (RAW_CONTROL.test(out)) return 'a raw control character';
      JSON.parse(out);
      return undefined;
    },
    text: (out) => (RAW_CONTROL.test(out.replace(/[\t\n]/g, '')) ? 'a raw control character' : undefined),
    html: (out) => (out.includes('katex-error') ? 'a KaTeX error' : out.includes('<script') ? 'a <script> tag' : RAW_CONTROL.test(out) ? 'a raw control character' : undefined),
    latex: (out, id) => {
      const preamble = out.slice(0, out.indexOf('\\documentclass'));
      if (preamble.split(/\r\n|[\n\r\u2028\u2029]/).some((l) => l !== '' && !l.startsWith('%'))) return 'text outside the comments before \\documentclass';
      if (!hasTex) return undefined;
      writeFileSync(path.join(work, `${id}.tex`), out);
      const run = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', `\\tracinglostchars=2\\input{${id}.tex}`], { cwd: work, encoding: 'utf8', timeout: 60_000 });
      const log = readFileSync(path.join(work, `${id}.log`), 'utf8');
      const problems = log.split('\n').filter((l) => TEX_PROBLEMS.test(l));
      return run.status !== 0 || problems.length > 0 ? `pdflatex exit ${run.status}: ${problems.slice(0, 3).join(' | ')}` : undefined;
    },
    python: (out, id, torch) => {
      if (RAW_CONTROL.test(out)) return 'a raw control character';
      if (!(torch ? hasTorch : hasNumpy)) return undefined;
      const file = path.join(work, `${id}.py`);
      writeFileSync(file, out);
      const run = spawnSync('python3', [file], { encoding: 'utf8', timeout: 120_000 });
      if (run.stdout.includes('PWNED')) return 'the module ran text from its docstring';
      return run.status === 0 ? undefined : `python3 exit ${run.status}: ${run.stderr.trim().split('\n').slice(-1)[0] ?? ''}`;
    },
  };

  const rng = rngOf(opts.seed);
  const started = Date.now();
  const deadline = opts.minutes === undefined ? undefined : started + opts.minutes * 60_000;
  console.log(`fuzz --formats: ${deadline ? `${opts.minutes} minutes` : `${opts.n} cases`}, seed ${opts.seed}`);
  let index = 0;
  for (; deadline ? Date.now() < deadline : index < opts.n; index++) {
    const c = makeCase(rng, index);
    const request = { expression: c.expression, wrt: c.wrt, dims: c.dims, seed: c.seed, steps: true };
    const record = (format, problem) => {
      count(format, problem === undefined);
      if (problem !== undefined) failures.push({ format, problem, case: c, fuzz: { seed: opts.seed, index } });
    };
    let result;
    try {
      result = c.command === 'grad' ? gradient(request) : derivative({ ...request, command: c.command });
    } catch (error) {
      record('library', `threw ${error?.name ?? 'Error'}: ${error?.message ?? error}`);
      continue;
    }
    if (!result.ok) {
      record('library', `refused: ${result.diagnostics[0].code} ${result.diagnostics[0].message}`);
      continue;
    }
    const report = c.hostileSource === undefined ? result.value : { ...result.value, source: { name: '<input>', text: c.hostileSource } };
    const formats = FORMATS; // one table for every command
    const options = { steps: true, standalone: true };
    const emitted = [];
    try {
      if (c.command === 'grad') emitted.push(['text', [`f = ${functionText(report).text}`, ...gradientViews(report).map((g) => `${g.name}: ${g.text}`)].join('\n')]);
      for (const format of Object.keys(formats)) {
        warnings.length = 0;
        const out = formats[format](report, options);
        if (format === 'html' && warnings.length > 0) record('html', `KaTeX warned: ${warnings[0]}`);
        emitted.push([format, out]);
      }
    } catch (error) {
      record('emit', `threw ${error?.name ?? 'Error'}: ${error?.message ?? error}`);
      continue;
    }
    for (const [format, out] of emitted) {
      const id = `case${index}-${format}`;
      let problem;
      try {
        problem = format === 'numpy' || format === 'torch' ? checks.python(out, id, format === 'torch') : checks[format](out, id);
      } catch (error) {
        problem = `${error?.name ?? 'Error'}: ${error?.message ?? error}`;
      }
      record(format, problem);
    }
    if ((index + 1) % 20 === 0) console.log(`  … ${index + 1} cases, ${failures.length} failures (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  console.warn = realWarn;
  rmSync(work, { recursive: true, force: true });

  console.log(`fuzz --formats: ${index} cases in ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${opts.seed}`);
  for (const [format, c] of [...counts].sort()) console.log(`  ${format.padEnd(8)} ${String(c.ok).padStart(6)} valid  ${String(c.failed).padStart(5)} failed`);
  if (failures.length > 0) {
    const outDir = path.resolve(root, opts.out);
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `formats-seed${opts.seed}.json`);
    writeFileSync(file, `${JSON.stringify(failures.slice(0, 200), null, 2)}\n`);
    for (const f of failures.slice(0, 10)) console.log(`  ${f.format}: ${f.problem}\n    ${JSON.stringify(f.case)}`);
    console.log(`  → ${path.relative(root, file)}`);
  }
  return failures.length > 0 ? 1 : 0;
}
