import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { gradient } from '../../src/pipeline.js';
import { formatNumpy, formatTorch } from '../../src/emit/python-module.js';
import { bin, matcalc, type Run } from '../json/helpers.js';
import { runPythonModules } from '../helpers/python-batch.js';
import { hasPython } from '../helpers/python-probe.js';
import { python3 } from '../helpers/python.js';
import { scratchFolders } from '../helpers/scratch.js';

/**
 * The attack corpus (issue 17): hostile inputs × every surface of the CLI (argument, standard
 * input, option values, batch lines) × every output format, each output checked by its consumer —
 * JSON.parse, pdflatex, python3 running the emitted module — and every run for its exit code, no
 * stack trace, and no control character reaching the terminal.
 */

/** Characters that act on a terminal, or reorder or hide text, when printed raw. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

/** KaTeX's own HTML holds zero-width spaces (its vertical lists); the page's other text must not. */
const RAW_CONTROL_HTML = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200c-\u200f\u202a-\u202e\u2066-\u2069]/;

function expectClean(r: Run, label: string, html = false): void {
  expect(r.stderr, label).not.toMatch(/^\s+at /m);
  expect(r.stderr, label).not.toContain('internal error');
  expect(r.stderr, label).not.toMatch(RAW_CONTROL);
  expect(r.stdout, label).not.toMatch(html ? RAW_CONTROL_HTML : RAW_CONTROL);
  expect([0, 2], `${label}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
}

/** Hostile expressions: [label, expression, --wrt]. Each is read or refused, never a crash. */
const EXPRESSIONS: [string, string, string][] = [
  ['bare CR inside the expression', "x'x\r+sum(x)", 'x'],
  ['CR then TeX', "x'x\r\\input{/etc/passwd}", 'x'],
  ['LF then TeX', "x'x\n\\input{/etc/passwd}", 'x'],
  ['U+2028 then TeX', "x'x\u2028\\input{/etc/passwd}", 'x'],
  ['ESC and BEL (terminal title)', 'x\u001b]0;PWNED\u0007x', 'x'],
  ['CSI clear screen', "x'x\u001b[2J", 'x'],
  ['C1 CSI', "x'x\u009b2J", 'x'],
  ['bidi override', "\u202ex'x", 'x'],
  ['zero-width space', "x'\u200bx", 'x'],
  ['TeX specials', "x'x % } { $ & # ^ ~ \\", 'x'],
  ['Python docstring breakout', '"""; import os; os.system("echo PWNED") #', 'x'],
  ['HTML breakout', "</pre><script>alert(1)</script>x'x", 'x'],
  ['Greek capital Alpha', 'sum(Α) + sum(A)', 'Α,A'],
  ['Greek capitals as a quadratic form', "Β'Ρ*Β", 'Β,Ρ'],
  ['an expression that starts with -h', "-h'x", 'x'],
  ['a lone minus sign and letters', '-xy', 'x'],
  ['very long name-like run', `sum(${'x'.repeat(200)})`, 'x'],
];

const FORMATS = ['text', 'json', 'latex', 'html', 'numpy', 'torch'] as const;

describe.concurrent('hostile expressions × formats', () => {
  test.each(EXPRESSIONS.flatMap(([label, expression, wrt]) => FORMATS.map((format) => [`${label} (${format})`, expression, wrt, format] as const)))(
    '%s',
    async (label, expression, wrt, format) => {
      const args = ['grad', expression, '--wrt', wrt, '--format', format, '--no-check', ...(format === 'latex' ? ['--standalone'] : [])];
      const r = await matcalc(args);
      expectClean(r, label, format === 'html');
      if (format === 'json') expect(() => JSON.parse(r.stdout), `${label}: ${r.stdout}`).not.toThrow();
      if (format === 'latex' && r.code === 0) {
        const preamble = r.stdout.slice(0, r.stdout.indexOf('\\documentclass'));
        for (const line of preamble.split(/\r\n|[\n\r]/)) expect(line === '' || line.startsWith('%'), `${label}: ${JSON.stringify(line)}`).toBe(true);
      }
      if (format === 'html' && r.code === 0) expect(r.stdout).not.toContain('<script');
      if (format === 'text' && r.code === 0) expect(r.stdout).toMatch(/^f = /);
    },
  );
});

describe.concurrent('hostile option values and sources', () => {
  const CASES: [string, readonly string[], string, RegExp][] = [
    ['ESC in --wrt', ['grad', "x'x", '--wrt', 'x\u001b[31m'], '', /U\+001B/],
    ['BEL in --dims', ['grad', "x'x", '--wrt', 'x', '--dims', 'x\u0007=3'], '', /U\+0007/],
    ['ESC in --assume', ['grad', "x'x", '--wrt', 'x', '--assume', 'x\u001b:spd'], '', /U\+001B/],
    ['ESC in a batch file name', ['batch', 'no-such-file\u001b[2J'], '', /U\+001B/],
    ['a Greek sign that is no letter in --wrt', ['grad', "x'x", '--format', 'html', '--wrt', 'x,\u0384'], '', /not a variable name/],
    ['--seed ""', ['grad', "x'x", '--wrt', 'x', '--seed', ''], '', /--seed/],
    ['--seed above 2^53', ['grad', "x'x", '--wrt', 'x', '--seed', '9007199254740993'], '', /below 2\^53/],
    ['--seed in hex', ['grad', "x'x", '--wrt', 'x', '--seed', '0x10'], '', /--seed/],
    ['--dims ",,,"', ['grad', "x'x", '--wrt', 'x', '--dims', ',,,'], '', /empty entry/],
    ['--assume "x:spd,"', ['grad', "x'x", '--wrt', 'x', '--assume', 'x:spd,'], '', /empty entry/],
    ['--assume on a defined name', ['grad', "Y = A*x; Y'Y", '--wrt', 'x', '--assume', 'Y:positive'], '', /--assume cannot also declare it/],
    ['--wrt x,,y', ['grad', "x'x", '--wrt', 'x,,y'], '', /empty name/],
  ];
  test.each(CASES)('%s: exit 2, the reason, controls shown as U+XXXX', async (_label, args, input, reason) => {
    const r = await matcalc(args, input);
    expectClean(r, _label);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(reason);
  });

  test('--wrt x --wrt y means both, as --wrt x,y does', async () => {
    const [twice, list] = await Promise.all([
      matcalc(['grad', "x'y", '--wrt', 'x', '--wrt', 'y', '--format', 'json', '--no-check']),
      matcalc(['grad', "x'y", '--wrt', 'x,y', '--format', 'json', '--no-check']),
    ]);
    expect(twice.code).toBe(0);
    expect(JSON.parse(twice.stdout).wrt).toEqual(['x', 'y']);
    expect(twice.stdout).toBe(list.stdout);
  });

  test('-h\'x is the expression -hᵀx, not an unknown option; -h alone is help', async () => {
    const [expression, help] = await Promise.all([matcalc(['grad', "-h'x", '--wrt', 'x']), matcalc(['grad', '-h'])]);
    expect(expression.code).toBe(0);
    expect(expression.stdout).toMatch(/^f = −hᵀx\n∇_x f = −h\n/);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--wrt');
  });

  test('a byte-order mark on standard input is not part of the expression (grad and batch)', async () => {
    const [grad, batch] = await Promise.all([
      matcalc(['grad', '--wrt', 'x'], "\ufeffx'x\n"),
      matcalc(['batch'], '\ufeff{"expr": "x\'x", "wrt": "x"}\n'),
    ]);
    expect(grad.code).toBe(0);
    expect(grad.stdout).toMatch(/^f = xᵀx\n∇_x f = 2x\n/);
    expect(batch.code).toBe(0);
    expect(JSON.parse(batch.stdout).gradient.text).toBe('2x');
  });

  test('a hostile id or expression in batch: every output line is JSON, with no raw control character', async () => {
    const lines = [
      { expr: "x'x\r\\input{/etc/passwd}", wrt: 'x', id: 'a\u001b]0;PWNED\u0007' },
      { expr: "x'x", wrt: ['x', 'a\n\\input{/etc/passwd}'], id: '\u202e' },
      { expr: "x'x", wrt: ['__proto__'], id: 3 },
      { expr: "x'x", wrt: 'x', seed: 2 ** 53 + 2 },
      { expr: "x'x", wrt: 'x', dims: 'x=2.5' },
    ];
    const r = await matcalc(['batch'], `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    expect(r.code).toBe(2);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    const out = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { error?: { message: string }; id?: unknown });
    expect(out).toHaveLength(lines.length);
    expect(out[0]!.id).toBe('a\u001b]0;PWNED\u0007');
    for (const o of out.slice(1)) expect(o.error, JSON.stringify(o)).toBeDefined();
  });
});

describe('write errors: one line, exit 74', () => {
  test('> /dev/full', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [bin, 'grad', "x'x", '--wrt', 'x'], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(r.status).toBe(74);
      expect(r.stderr).toBe('matcalc: cannot write to standard output: no space left on the device (ENOSPC)\n');
    } finally {
      closeSync(full);
    }
  });

  test('a reader that closes the pipe (EPIPE)', async () => {
    const child = spawn(process.execPath, [bin, 'grad', "x'x", '--wrt', 'x', '--format', 'html', '--no-check'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(74);
    expect(stderr).toMatch(/^matcalc: cannot write to standard output: the reader closed the pipe \(EPIPE\)\n$/);
  });
});

test('--format json: stdout is one JSON document whatever the exit code (an internal error too)', async () => {
  // A sum of vector(2), eye and a ones matrix: inputs that reached internal errors (issue 17); if
  // the engine answers them now, the answer must still be one JSON document.
  const inputs = ["x'x + sum(eye)", 'sum(vector(2))', "x'(I - 0.25*𝟙*𝟙')x", '𝟙W₁'];
  for (const expression of inputs) {
    const r = await matcalc(['grad', expression, '--wrt', 'x', '--format', 'json']);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const json = JSON.parse(r.stdout) as { error?: { code: string } };
    if (r.code === 70) expect(json.error?.code).toBe('MC7000');
    else expect([0, 1, 2]).toContain(r.code);
  }
});

/** The SIGINT test's input, removed when the file's tests are done (test/helpers/scratch.ts). */
const sigintFolder = scratchFolders('sigint');

test('SIGINT while batch writes large lines: every line written is whole, exit 130', async () => {
  const dir = sigintFolder();
  // Each request's JSON line is a few megabytes (its derivation), far more than a pipe holds.
  const expr = Array.from({ length: 300 }, (_, i) => `sum(exp(${i + 1}*x))`).join(' + ');
  const file = join(dir, 'big.jsonl');
  writeFileSync(file, `${Array.from({ length: 6 }, () => JSON.stringify({ expr, wrt: 'x' })).join('\n')}\n`);
  const child = spawn(process.execPath, [bin, 'batch', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let signalled = false;
  child.stdout.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    if (signalled) return;
    signalled = true;
    // Stop reading so that the writer is blocked in the middle of a line when the signal comes.
    child.stdout.pause();
    child.kill('SIGINT');
    setTimeout(() => child.stdout.resume(), 300);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const out = Buffer.concat(chunks).toString('utf8');
  expect(code).toBe(130);
  expect(out.endsWith('\n')).toBe(true);
  const lines = out.slice(0, -1).split('\n');
  expect(lines.length).toBeGreaterThanOrEqual(1);
  expect(lines.length).toBeLessThan(6);
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
}, 60_000);

describe('emitted Python modules run', () => {
  const hasNumpy = hasPython('numpy');
  const hasTorch = hasNumpy && hasPython('torch');
  if (!hasNumpy) console.warn('skipping the Python runs of emitted modules: python3 with numpy is not installed');
  /** One folder a module or batch, all removed when the tests are done (test/helpers/scratch.ts). */
  const pyFolder = scratchFolders('py');
  const run = (code: string) => {
    const dir = pyFolder();
    writeFileSync(join(dir, 'module.py'), code);
    return python3([join(dir, 'module.py')], { encoding: 'utf8', timeout: 60_000 });
  };
  /** Several modules in ONE python3 (test/helpers/python-batch.ts): torch is imported once. */
  const runAll = (codes: readonly string[]) => {
    const dir = pyFolder();
    return runPythonModules(
      codes.map((code, i) => {
        writeFileSync(join(dir, `module${i}.py`), code);
        return join(dir, `module${i}.py`);
      }),
    );
  };
  const HOSTILE = ['"""; import os; os.system("echo PWNED") #', 'x\\N{BEL}\'x"', "x'x\r\u001b]0;PWNED\u0007"];

  test.skipIf(!hasNumpy)('numpy: a hostile input in the docstring neither breaks the module nor runs anything', () => {
    for (const text of HOSTILE) {
      const result = gradient({ expression: "sum(Αβ) + x'x", wrt: 'Αβ,x' });
      if (!result.ok) throw new Error(result.diagnostics[0]!.message);
      // The input as a hostile caller of the library could hand it to the emitter.
      const module = formatNumpy({ ...result.value, source: { name: '<input>', text } }, { steps: false, standalone: false });
      const py = run(module);
      expect(py.status, `${text}\n${py.stderr}`).toBe(0);
      expect(py.stdout).not.toContain('PWNED');
    }
  });

  test.skipIf(!hasNumpy)('variables named like Python keywords or the module\'s own names (np, torch, sys, inputs, WRT) still run', () => {
    const names = ['torch', 'np', 'sys', 'if', 'None', 'inputs', 'WRT', 'value', 'rng'];
    // Every name in the NumPy module; in the torch module (slow to import) the ones it uses itself.
    const runs = [...names.map((name) => [formatNumpy, name] as const), ...(hasTorch ? (['torch', 'sys'] as const).map((name) => [formatTorch, name] as const) : [])];
    const modules = runs.map(([flavour, name]) => {
      const result = gradient({ expression: `sum(exp(${name})) + x'x`, wrt: [name, 'x'], dims: `${name}=3` });
      if (!result.ok) throw new Error(`${name}: ${result.diagnostics[0]!.message}`);
      return flavour(result.value, { steps: false, standalone: false });
    });
    runAll(modules).forEach((py, i) => expect(py.status, `${runs[i]![1]}:\n${py.output}`).toBe(0));
  }, 240_000);

  test.skipIf(!hasTorch)('torch: Greek capitals and subscripts as names', async () => {
    const r = await matcalc(['grad', "Α₁'*Ω*Α₁ + sum(Ω)", '--wrt', 'Α₁,Ω', '--dims', 'Α₁=3', '--format', 'torch']);
    expect(r.code).toBe(0);
    const py = run(r.stdout);
    expect(py.status, py.stderr).toBe(0);
  });
});
