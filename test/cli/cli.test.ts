import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bin, matcalc as run, type Run } from '../json/helpers.js';

/**
 * The built command line (dist/src/cli/matcalc.js, the bundle package.json's bin names; `npm test` builds first), run as a child process
 * with NO_COLOR=1 and piped output. Each spawn costs a few hundred milliseconds, so the tests run
 * concurrently and identical command lines are spawned once.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

interface RunOptions {
  /** Written to standard input (which is always closed, so a missing expression never hangs). */
  readonly input?: string;
  readonly env?: Record<string, string | undefined>;
}

function spawnOnce(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  return run(args, options.input ?? '', options.env);
}

const cache = new Map<string, Promise<Run>>();

/** Runs `matcalc ARGS`; the same command line and input is spawned only once per test file. */
function matcalc(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const key = JSON.stringify([args, options.input ?? null, options.env ?? null]);
  let run = cache.get(key);
  if (!run) {
    run = spawnOnce(args, options);
    cache.set(key, run);
  }
  return run;
}

const ESC = '\u001b';
const GRADIENT = '∇_X f = (exp(Xb) ⊙ a)bᵀ';
const MAIN = ['grad', 'aᵀexp(Xb)', '--wrt', 'X'] as const;

function lines(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}

/** The lines after the first, which is always `f = …`, the function as read (issue 11). */
function answer(text: string): string[] {
  const [first, ...rest] = lines(text);
  expect(first).toMatch(/^f = /);
  return rest;
}

function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/\b[A-Za-z]*Error\b:/);
  expect(text).not.toContain('internal error');
}

describe.concurrent('matcalc grad', () => {
  it('prints the gradient, the shapes and a passed check', async () => {
    const r = await matcalc(MAIN);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = answer(r.stdout);
    expect(out[0]).toBe(GRADIENT);
    expect(out[1]).toMatch(/^shapes\s+a: n×1, X: n×m, b: m×1$/);
    expect(out[2]).toMatch(/^check\s+passed: relative error \d\.\de[-+]\d+ against finite differences \(seed 1; m=\d+, n=\d+; \d+ comparisons\)$/);
    expect(out).toHaveLength(3);
  });

  it('reads ASCII input to the same gradient; --dims fixes the shapes', async () => {
    const r = await matcalc(['grad', "a'*exp(X*b)", '--wrt', 'X', '--dims', 'X=3x4']);
    expect(r.code).toBe(0);
    const out = answer(r.stdout);
    expect(out[0]).toBe(GRADIENT);
    expect(out[1]).toMatch(/^shapes\s+a: 3×1, X: 3×4, b: 4×1$/);
    expect(out[2]).toMatch(/^check\s+passed: .*\(seed 1; \d+ comparisons\)$/);
  });

  it('with --dims, products are grouped for the fewest operations, in the text and the NumPy code', async () => {
    const args = ['grad', 'norm2(A*B*x)^2', '--wrt', 'x', '--dims', 'A=100x200,B=200x300,x=300'];
    const [text, json, numpy] = await Promise.all([
      matcalc(args),
      matcalc([...args, '--format', 'json', '--no-check']),
      matcalc([...args, '--format', 'numpy', '--no-check']),
    ]);
    expect(text.code).toBe(0);
    expect(answer(text.stdout)[0]).toBe('∇_x f = 2Bᵀ(Aᵀ(A(Bx)))');
    expect(answer(text.stdout)[2]).toMatch(/^check\s+passed/);
    const report = JSON.parse(json.stdout) as { gradient: { text: string; numpy: string } };
    expect(report.gradient.text).toBe('2Bᵀ(Aᵀ(A(Bx)))');
    expect(report.gradient.numpy).toBe('2 * (B.T @ (A.T @ (A @ (B @ x))))');
    expect(numpy.stdout).toContain('grad_x = 2 * (B.T @ (A.T @ _t1))');
  });

  it('--steps prints the derivation, one rule per line, before the gradient', async () => {
    const r = await matcalc([...MAIN, '--steps']);
    expect(r.code).toBe(0);
    const out = answer(r.stdout);
    expect(out[0]).toBe('df = ⟨1, d(aᵀexp(Xb))⟩');
    const blank = out.indexOf('');
    expect(blank).toBeGreaterThan(1);
    for (const step of out.slice(1, blank)) expect(step).toMatch(/^ {3}= ⟨.*, d.*⟩ {4}[a-z][a-z.-]*$/);
    expect(out.slice(1, blank).join('\n')).toContain('pull.exp');
    expect(out[blank - 1]).toMatch(/^ {3}= ⟨\(exp\(Xb\) ⊙ a\)bᵀ, dX⟩/);
    expect(out[blank + 1]).toBe(GRADIENT);
  });

  it('--format json has the documented keys', async () => {
    const r = await matcalc([...MAIN, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      input: 'aᵀexp(Xb)',
      wrt: 'X',
      shapes: { a: ['n', 1], X: ['n', 'm'], b: ['m', 1] },
      gradient: { text: '(exp(Xb) ⊙ a)bᵀ', ascii: expect.any(String), numpy: expect.any(String) },
      check: { passed: true, relativeError: expect.any(Number), seed: 1 },
    });
    expect(json.check.relativeError).toBeLessThan(1e-6);
    expect(json.steps[0]).toEqual({ rule: 'start', text: '⟨1, d(aᵀexp(Xb))⟩' });
    expect(json.steps.length).toBeGreaterThan(1);
    for (const s of json.steps) {
      expect(Object.keys(s)).toEqual(['rule', 'text']);
      expect(typeof s.rule).toBe('string');
      expect(typeof s.text).toBe('string');
    }
    expect(json.steps.map((s: { rule: string }) => s.rule)).toContain('pull.exp');
  });

  it('--seed is used by the check and reported', async () => {
    const r = await matcalc([...MAIN, '--seed', '7']);
    expect(r.code).toBe(0);
    expect(answer(r.stdout)[0]).toBe(GRADIENT);
    expect(answer(r.stdout)[2]).toMatch(/^check\s+passed: .*\(seed 7;/);
  });

  it('gradient.ascii and function.ascii parse back to the same gradient', async () => {
    const first = await matcalc([...MAIN, '--format', 'json']);
    expect(first.code).toBe(0);
    const json = JSON.parse(first.stdout);
    // The gradient's ASCII form G: ∇_C ⟨G, C⟩ = G, so it must print as the same text.
    const ascii: string = json.gradient.ascii;
    const cut = ascii.lastIndexOf(';');
    const definitions = cut < 0 ? '' : `${ascii.slice(0, cut + 1)} `;
    const body = ascii.slice(cut + 1).trim();
    const [fromGradient, fromFunction] = await Promise.all([
      matcalc(['grad', `${definitions}<${body}, C>`, '--wrt', 'C', '--format', 'json', '--no-check']),
      // The function's ASCII form, differentiated again.
      matcalc(['grad', json.function.ascii, '--wrt', 'X', '--format', 'json', '--no-check']),
    ]);
    for (const r of [fromGradient, fromFunction]) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).gradient.text).toBe(json.gradient.text);
    }
    expect(JSON.parse(fromGradient.stdout).shapes.C).toEqual(json.gradient.shape);
  });

  it('--format json reports errors as JSON on stdout, with code, line and column, and exits 2', async () => {
    const [syntax, usage] = await Promise.all([
      matcalc(['grad', 'sum(x', '--wrt', 'x', '--format', 'json']),
      matcalc(['grad', 'sum(x)', '--wrt', 'x', '--seed', 'abc', '--format', 'json']),
    ]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toBe('');
    const error = JSON.parse(syntax.stdout).error;
    expect(error).toMatchObject({ code: 'MC1002', id: 'syntax/unclosed', line: 1, column: 6, source: '<input>' });
    expect(error.message).toBe("expected ')' to close '(' at 1:4");
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout).error).toMatchObject({ code: 'MC2000', message: expect.stringContaining('--seed') });
  });

  it("reads the expression from standard input, with '-' or when it is omitted", async () => {
    const [dash, omitted] = await Promise.all([
      matcalc(['grad', '-', '--wrt', 'X'], { input: 'aᵀexp(Xb)\n' }),
      matcalc(['grad', '--wrt', 'X'], { input: 'aᵀexp(Xb)\n' }),
    ]);
    for (const r of [dash, omitted]) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(answer(r.stdout)[0]).toBe(GRADIENT);
    }
  });

  it('--assume A:symmetric: xᵀAx → 2Ax (and (A + Aᵀ)x without it)', async () => {
    const [symmetric, general] = await Promise.all([
      matcalc(['grad', 'xᵀAx', '--wrt', 'x', '--assume', 'A:symmetric']),
      matcalc(['grad', 'xᵀAx', '--wrt', 'x']),
    ]);
    expect(symmetric.code).toBe(0);
    expect(answer(symmetric.stdout)[0]).toBe('∇_x f = 2Ax');
    expect(general.code).toBe(0);
    expect(answer(general.stdout)[0]).toBe('∇_x f = (A + Aᵀ)x');
  });

  it('a variable that does not occur has gradient 0, with a note, and exits 0', async () => {
    const r = await matcalc(['grad', 'aᵀx', '--wrt', 'y']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = answer(r.stdout);
    expect(out[0]).toBe('∇_y f = 0');
    expect(out.some((l) => /^note\s+the expression does not depend on y: its gradient is 0/.test(l))).toBe(true);
  });

  it('the shapes line lists a --wrt variable that does not occur, and says so, for every command', async () => {
    for (const command of ['grad', 'diff', 'jac', 'hess']) {
      const expression = command === 'grad' || command === 'hess' ? 'aᵀx' : 'Ax';
      const r = await matcalc([command, expression, '--wrt', 'x,y']);
      expect(r.code, r.stderr).toBe(0);
      const shapes = lines(r.stdout).find((l) => l.startsWith('shapes'));
      expect(shapes, command).toMatch(/, y: \S+ \(does not occur\)$/);
      expect(shapes, command).not.toMatch(/x: \S+ \(does not occur\)/);
    }
  });

  it('--no-check says the check was skipped', async () => {
    const r = await matcalc([...MAIN, '--no-check']);
    expect(r.code).toBe(0);
    const out = answer(r.stdout);
    expect(out[0]).toBe(GRADIENT);
    expect(out[2]).toMatch(/^check\s+skipped \(--no-check\)$/);
    expect(r.stdout).not.toContain('passed');
  });

  it('is deterministic: the same command gives byte-identical output (text and JSON)', async () => {
    const text = ['grad', 'Y = σ(WX); ⟨Y, MY⟩', '--wrt', 'X', '--steps'];
    const json = [...MAIN, '--format', 'json'];
    const [t1, t2, j1, j2] = await Promise.all([matcalc(text), spawnOnce(text), matcalc(json), spawnOnce(json)]);
    expect(t1.code).toBe(0);
    expect(t1.stdout).toMatch(/^f = ⟨σ\(WX\), Mσ\(WX\)⟩\ndf = /);
    expect(t1.stdout).toContain('where Y = σ(WX)');
    expect(t2.stdout).toBe(t1.stdout);
    expect(j1.code).toBe(0);
    expect(j2.stdout).toBe(j1.stdout);
  });
});

describe.concurrent('matcalc: help, version, rules, usage errors', () => {
  it('grad --help lists the options and examples and exits 0', async () => {
    const r = await matcalc(['grad', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: matcalc grad');
    for (const option of ['--wrt', '--dims', '--assume', '--steps', '--format', '--seed', '--no-check']) expect(r.stdout).toContain(option);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('matcalc grad "aᵀexp(Xb)" --wrt X');
  });

  it('--help lists the commands and exits 0', async () => {
    const r = await matcalc(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: matcalc');
    expect(r.stdout).toMatch(/^\s+grad /m);
    expect(r.stdout).toMatch(/^\s+rules /m);
  });

  it('--version prints the package.json version', async () => {
    const r = await matcalc(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${packageJson.version}\n`);
  });

  it('rules lists the rule ids', async () => {
    const all = await matcalc(['rules']);
    expect(all.code).toBe(0);
    expect(all.stderr).toBe('');
    expect(all.stdout).toMatch(/^Pullback rules/m);
    expect(all.stdout).toMatch(/^ {2}pull\.matmul +⟨G, d\(AB\)⟩ = /m);
    expect(all.stdout).toMatch(/^ {2}pull\.exp /m);
    expect(all.stdout).toMatch(/^ {2}simp\./m);
    const total = Number(/^(\d+) rules$/m.exec(all.stdout)?.[1]);
    expect(total).toBeGreaterThan(10);
  });

  it('an unknown option, a missing --wrt or an unknown command exits 2 with a message and no stack trace', async () => {
    const [option, wrt, command, format] = await Promise.all([
      matcalc(['grad', 'sum(x)', '--wrt', 'x', '--bogus']),
      matcalc(['grad', 'sum(x)']),
      matcalc(['bogus']),
      matcalc(['grad', 'sum(x)', '--wrt', 'x', '--format', 'xml']),
    ]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--bogus'");
    expect(wrt.code).toBe(2);
    expect(wrt.stderr).toContain("required option '--wrt <names>' not specified");
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("unknown command 'bogus'");
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("argument 'xml' is invalid");
    for (const r of [option, wrt, command, format]) {
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: /);
      expectNoStackTrace(r.stderr);
    }
  });

  it('a bad input exits 2 with a positioned message on stderr and nothing on stdout', async () => {
    const r = await matcalc(['grad', 'sum(x', '--wrt', 'x']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("error[MC1002]: expected ')' to close '(' at 1:4\n --> <input>:1:6\n  |\n1 | sum(x\n  |      ^\n");
  });
});

describe('colour', () => {
  it('piped output and NO_COLOR have no ANSI escapes', async () => {
    const runs = await Promise.all([
      matcalc([...MAIN, '--steps']),
      matcalc(['grad', 'sum(x', '--wrt', 'x']),
      matcalc(['rules']),
      // Piped output is plain even without NO_COLOR.
      matcalc([...MAIN, '--steps'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } }),
    ]);
    for (const r of runs) {
      expect(r.stdout + r.stderr).not.toContain(ESC);
      expect(r.stdout + r.stderr).not.toBe('');
    }
  });

  // util-linux `script` gives the child a terminal: colour on, unless NO_COLOR is set.
  const hasScript = process.platform === 'linux' && spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasScript)('on a terminal: coloured, and plain with NO_COLOR=1', async () => {
    const command = `'${process.execPath}' '${bin}' grad 'sum(x' --wrt x`;
    const inTerminal = (env: Record<string, string | undefined>) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
        child.on('error', reject);
        child.on('close', () => resolve(out));
        child.stdin.end();
      });
    const [coloured, plain] = await Promise.all([inTerminal({ NO_COLOR: undefined, FORCE_COLOR: undefined }), inTerminal({ NO_COLOR: '1' })]);
    expect(coloured).toContain('error[MC1002]');
    expect(coloured).toContain(ESC);
    expect(plain).toContain('error[MC1002]');
    expect(plain).not.toContain(ESC);
  });
});

it('an expression that starts with a minus sign is the expression, not an option', async () => {
  const r = await matcalc(['grad', "-y'*log(sigmoid(X*w))", '--wrt', 'w']);
  expectNoStackTrace(r.stderr);
  expect(r.code).toBe(0);
  expect(answer(r.stdout)[0]).toBe('∇_w f = −Xᵀ((1 − σ(Xw)) ⊙ y)');
  const after = await matcalc(['grad', '--wrt', 'x', "-x'*x"]);
  expect(answer(after.stdout)[0]).toBe('∇_x f = −2x');
});
