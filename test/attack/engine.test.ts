import { describe, expect, test } from 'vitest';
import { derivativeViews } from '../../src/emit/derivative.js';
import { gradientViews } from '../../src/emit/derivative.js';
import { commandJson } from '../../src/emit/command-json.js';
import { derivative, gradient, maxInputLength } from '../../src/pipeline.js';
import type { DerivativeCommand } from '../../src/report.js';
import { formatNumpy } from '../../src/emit/python-module.js';
import * as T from '../../src/term/factory.js';
import { generationPolicy, maybeNewGeneration } from '../../src/term/generations.js';
import type { Term } from '../../src/term/term.js';
import { postOrder } from '../../src/term/traverse.js';
import { budgetedCheck, evaluationCost } from '../../src/verify/budget.js';
import * as dense from '../../src/verify/dense.js';
import { Dense } from '../../src/verify/dense.js';
import { evaluatePlan, evaluateTerms, planEvaluation } from '../../src/verify/evaluate.js';
import { createRng, type Rng } from '../../src/verify/random.js';
import { hasPython } from '../helpers/python-probe.js';
import { python3 } from '../helpers/python.js';

/**
 * Hostile programs through the engine: random small expressions that are often ill-shaped, use free
 * dimensions no variable carries (eye, 𝟙, vector(2), matrix(1)), extreme constants and names that do
 * not occur, run through every command (grad, diff, jac, hess) with the numeric check and the
 * text/JSON views. Each must be an answer or a diagnostic — an exception here is an exit 70.
 *
 * `MATCALC_ENGINE_FUZZ=5000 npx vitest run test/attack/engine.test.ts` (or scripts/fuzz-engine.mjs)
 * runs more programs; the default keeps `npm test` within a few seconds.
 */

const COUNT = Number(process.env.MATCALC_ENGINE_FUZZ ?? 60);
const SEED = Number(process.env.MATCALC_ENGINE_SEED ?? 17);

const ATOMS = ['x', 'y', 'a', 'A', 'X', 'S', 'eye', '𝟙', 'vector(2)', 'matrix(1)', '2', '0.5', '1e308', '1e-300', 'I'];
const UNARY = ['tr', 'sum', 'exp', 'log', 'det', 'logdet', 'inv', 'diag', 'norm1', 'norm2', 'tanh', 'sqrt', 'σ', 'abs', 'relu', 'vector', 'matrix'];
const BINARY = ['+', '-', '*', '.*', './', '/'];

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng.uniform(0, list.length))]!;
}

/** A random expression of the given depth, as text. */
function expression(rng: Rng, depth: number): string {
  const r = rng.uniform(0, 1);
  if (depth <= 0 || r < 0.2) return pick(rng, ATOMS);
  if (r < 0.45) return `${pick(rng, UNARY)}(${expression(rng, depth - 1)})`;
  if (r < 0.55) return `(${expression(rng, depth - 1)})'`;
  if (r < 0.6) return `(${expression(rng, depth - 1)})^${pick(rng, ['2', '-1', '3', '0'])}`;
  if (r < 0.65) return `⟨${expression(rng, depth - 1)}, ${expression(rng, depth - 1)}⟩`;
  return `(${expression(rng, depth - 1)} ${pick(rng, BINARY)} ${expression(rng, depth - 1)})`;
}

/** Variables to differentiate by: mostly ones that occur, sometimes an absent one. */
function wrtFor(rng: Rng, text: string): string[] {
  const present = ['x', 'y', 'a', 'A', 'X', 'S'].filter((v) => new RegExp(`(^|[^A-Za-z])${v}($|[^A-Za-z(])`).test(text));
  const wrt = present.filter(() => rng.uniform(0, 1) < 0.7);
  if (wrt.length === 0 || rng.uniform(0, 1) < 0.15) wrt.push(pick(rng, ['z', 'Z', 'w']));
  return wrt;
}

interface Case {
  command: 'grad' | DerivativeCommand;
  expression: string;
  wrt: string[];
  dims?: string;
}

function cases(count: number, seed: number): Case[] {
  const rng = createRng(seed);
  const out: Case[] = [];
  const commands = ['grad', 'diff', 'jac', 'hess'] as const;
  for (let i = 0; i < count; i++) {
    const command = commands[i % commands.length]!;
    let text = expression(rng, 1 + Math.floor(rng.uniform(0, 3)));
    // Sometimes a definition, used or not (a shared node printed by its name).
    if (rng.uniform(0, 1) < 0.15) text = `Y = ${expression(rng, 1)}; ${rng.uniform(0, 1) < 0.5 ? text : `(${text}) + Y`}`;
    // grad and hess need a scalar: most programs reduce, a few are left to be refused.
    if ((command === 'grad' || command === 'hess') && rng.uniform(0, 1) < 0.8) text = `${pick(rng, ['sum', 'tr', 'norm2'])}(${text})`;
    // Sometimes small fixed sizes, sometimes sizes past the check's budget (checked smaller).
    const r = rng.uniform(0, 1);
    const dims = r < 0.15 ? 'x=3,A=3x3' : r < 0.25 ? 'x=500,A=500x500,X=500x500' : undefined;
    out.push({ command, expression: text, wrt: wrtFor(rng, text), ...(dims ? { dims } : {}) });
  }
  return out;
}

/** Runs one case the way the CLI does (the report, then its text and JSON views); throws on a crash. */
function run(c: Case): 'answer' | 'refused' {
  const base = { expression: c.expression, wrt: c.wrt, ...(c.dims ? { dims: c.dims } : {}), seed: 1 };
  if (c.command === 'grad') {
    const result = gradient(base);
    if (!result.ok) return 'refused';
    gradientViews(result.value);
    JSON.stringify(commandJson(result.value));
    return 'answer';
  }
  const result = derivative({ ...base, command: c.command });
  if (!result.ok) return 'refused';
  derivativeViews(result.value);
  JSON.stringify(commandJson(result.value));
  return 'answer';
}

describe('hostile programs: every command answers or refuses, never crashes', () => {
  test(`${COUNT} random programs over grad, diff, jac and hess (seed ${SEED})`, () => {
    const crashes: string[] = [];
    const tally = { answer: 0, refused: 0 };
    for (const c of cases(COUNT, SEED)) {
      try {
        tally[run(c)]++;
      } catch (error) {
        crashes.push(`matcalc ${c.command} "${c.expression}" --wrt ${c.wrt.join(',')}${c.dims ? ` --dims ${c.dims}` : ''}: ${(error as Error).message}`);
      }
    }
    expect(crashes).toEqual([]);
    // The generator must exercise both outcomes, or it tests nothing.
    expect(tally.answer).toBeGreaterThan(0);
    expect(tally.refused).toBeGreaterThan(0);
  });
});

describe('exit 70s from the attack run (issue 17) and the front door (issue 11 §3)', () => {
  const answers: [string, 'grad' | DerivativeCommand, string, string?][] = [
    // A free dimension that no variable carries had no size when the check drew inputs.
    ['x\'x + sum(eye)', 'grad', 'x'],
    ['sum(vector(2))', 'grad', 'x'],
    ['matrix(1)', 'diff', 'X'],
    ['A𝟙', 'diff', 'A'],
    ['𝟙ᵀA', 'diff', 'A'],
    ['A𝟙', 'jac', 'A'],
    ['𝟙ᵀA𝟙', 'diff', 'A'],
    ['𝟙ᵀA𝟙', 'hess', 'A'],
    // Eleven vectors use up the spare dimension names an absent --wrt variable was given ('undefined×1').
    ['sum(a)+sum(b)+sum(c)+sum(d)+sum(e)+sum(f)+sum(g)+sum(h)+sum(i)+sum(j)+sum(k)', 'grad', 'x'],
  ];
  test.each(answers)('%s (%s --wrt %s) is answered and checked', (expression, command, wrt) => {
    const result = command === 'grad' ? gradient({ expression, wrt }) : derivative({ expression, wrt, command });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.check?.status).toBe('passed');
    expect(JSON.stringify(result.value.check?.sizes)).not.toContain('undefined');
  });

  test("a rule template's ?c bound to an overflowing constant is not refused as the user's product (found by the generator)", () => {
    const result = derivative({ expression: '(((eye ./ y) ./ (1e-300)^3))^2', wrt: 'y', command: 'jac' });
    expect(result.ok).toBe(true);
    // (1e-300)³ underflows at every point: the check cannot decide, and says so.
    expect(result.ok && result.value.check?.status).toBe('inconclusive');
  });

  test('an absent --wrt name past the eleventh dimension gets a fresh dimension, not undefined', () => {
    const result = gradient({ expression: 'sum(a)+sum(b)+sum(c)+sum(d)+sum(f)+sum(g)+sum(h)+sum(i)+sum(j)+sum(k)+sum(l)', wrt: 'x' });
    expect(result.ok && result.value.notes.join('\n')).toContain('(d1×1)');
  });

  const refusals: [string, string, string][] = [
    // A constant folded past ±1.8e308 is the input's (MC3003), not an internal error.
    ["1e308*10*x'x", 'x', 'shape/constant-overflow'],
    ["1e308*x'x*10", 'x', 'shape/constant-overflow'],
    // The sweep's 2·1e308 in the gradient of 1e308·xᵀx is folded past a double: MC3003.
    ["1e308*x'x", 'x', 'diff/constant-overflow'],
    // A constant product nested as deep as it is long is read without recursion.
    [Array.from({ length: 20_000 }, () => '10').join('*') + "*x'x", 'x', 'shape/constant-overflow'],
    // n×1 ⊘ eye: merging eye's size with S's rows made 1 impossible, after both pairs were tested apart.
    ['sum((S*x) ./ eye*a)', 'x', 'shape/elementwise-mismatch'],
  ];
  test.each(refusals)('%s --wrt %s is refused with %s', (expression, wrt, id) => {
    const result = gradient({ expression, wrt });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics[0]!.id).toBe(id);
  });
});

describe('the check has a budget (verify/budget.ts)', () => {
  test('--dims X=100000x100000 is checked at a smaller size of the same dimension, and says so', () => {
    // Before: "Invalid typed array length" (exit 70); at 10000×10000, over 60 s and 6.3 GB.
    const result = gradient({ expression: 'logdet(X) + a\'*X*b', wrt: 'X', dims: 'X=100000x100000' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.check?.status).toBe('passed');
    expect(result.value.check?.sizes).toEqual({ N100000: 3 });
    expect(result.value.notes.join('\n')).toContain('the numeric check ran at smaller sizes (100000 → 3');
  });

  test('a wrong gradient still fails at the smaller size', () => {
    // The same machinery, shrunk: checkGradient sees the rebuilt f and gradient.
    const bad = budgetedCheck({
      f: T.reduce('logdet', T.variable('X', [5000, 5000])),
      gradients: new Map([['X', T.inv(T.variable('X', [5000, 5000]))]]), // X⁻¹ instead of X⁻ᵀ
      variables: new Map([['X', [5000, 5000] as const]]),
      dimSizes: new Map(),
      seed: 1,
    });
    expect(bad.note).toContain('5000 → 3');
    expect(bad.report.status).toBe('failed');
  });

  test('a constant that may be a folded size keeps the sizes: the check is skipped, not passed', () => {
    // tr(X⁰) = tr(I₃₀₀₀) folds to 3000; at a smaller size the gradient 3000·I would look wrong.
    const result = gradient({ expression: 'tr(X)*tr(X^0)', wrt: 'X', dims: 'X=3000x3000' });
    expect(result.ok && result.value.check?.status).toBe('inconclusive');
    expect(result.ok && result.value.check?.reason).toContain('may stand for a size');
  });

  test.each([
    ['diff', 'inv(X)', 'X', 'X=3000x3000'],
    ['jac', 'X*Y', 'X', 'X=100x100,Y=100x100'],
    ['hess', "x'*A*x", 'x', 'x=5000'],
  ] as const)('%s %s --dims %s is checked within the budget', (command, expression, wrt, dims) => {
    const result = derivative({ expression, wrt, dims, command });
    expect(result.ok && result.value.check?.status).toBe('passed');
    expect(result.ok && result.value.notes.join('\n')).toContain('the numeric check ran at smaller sizes');
  });

  test('the cost estimate counts entries and products', () => {
    const X = T.variable('X', ['n', 'n']);
    const cost = evaluationCost([T.mul([X, X])], new Map([['n', 100]]));
    expect(cost.entries).toBe(2 * 100 * 100);
    expect(cost.flops).toBeGreaterThanOrEqual(100 ** 3);
  });

  test('a NumPy module at 1000×1000 draws its self-check inputs in Python instead of embedding 20 MB', () => {
    const result = gradient({ expression: "a'*X*b", wrt: 'X', dims: 'X=1000x1000', check: false });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const module = formatNumpy(result.value);
    expect(module.length).toBeLessThan(20_000);
    expect(module).toContain('rng.uniform(0.5, 1.5, (1000, 1000)) + 2000 * np.eye(1000)');
  });
});

describe('a check whose values underflow or overflow is inconclusive, never passed', () => {
  test('x·x·…·x (20,001 factors), which the simplifier makes x^20001 past the typed limit', () => {
    // Before: "check passed", comparing f = 0 and a gradient of 0 at every |x| < 1.
    const result = gradient({ expression: Array.from({ length: 20_001 }, () => 'x').join('*'), wrt: 'x' });
    expect(result.ok && result.value.check?.status).toBe('inconclusive');
  });

  test.each(['sum(x.^5000)', 'sum(exp(-1000*x.*x))', 'x^9999'])('%s', (expression) => {
    const result = gradient({ expression, wrt: 'x' });
    expect(result.ok && result.value.check?.status).toBe('inconclusive');
  });

  test('an ordinary power still passes', () => {
    const result = gradient({ expression: 'sum(x.^3)', wrt: 'x' });
    expect(result.ok && result.value.check?.status).toBe('passed');
  });
});

describe('limits are checked before the expensive stages', () => {
  test('a 10 MB sum is refused before parsing (MC1050), naming the limit and --max-nodes', () => {
    // Before: refused by the node limit after 37 s and 2.5 GB of parsing and typing.
    const expression = Array.from({ length: 420_000 }, (_, i) => `a'*A*b*${i % 1000}`).join(' + ');
    expect(expression.length).toBeGreaterThan(maxInputLength(1_000_000));
    const result = gradient({ expression, wrt: 'a' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics[0]!.id).toBe('syntax/input-too-long');
    expect(result.diagnostics[0]!.message).toContain('--max-nodes');
  });

  test('the input limit follows --max-nodes and never drops below 1,000,000 characters', () => {
    expect(maxInputLength(1_000_000)).toBe(1_500_000);
    expect(maxInputLength(5_000_000)).toBe(7_500_000);
    expect(maxInputLength(1000)).toBe(1_000_000);
  });
});

describe('the check is linear in the number of --wrt variables', () => {
  test('a line plan holds only the nodes that move with its variable, and sums its known terms once', () => {
    const n = 200;
    const terms = Array.from({ length: n }, (_, i) => T.reduce('sum', T.fn('exp', T.hmul([T.variable(`v${i}`, ['n', 1]), T.variable(`w${i}`, ['n', 1])]))));
    const f = T.add(terms);
    const dimSizes = new Map([['n', 3]]);
    const values = new Map<string, Dense>();
    const rng = createRng(5);
    for (let i = 0; i < n; i++) {
      for (const name of [`v${i}`, `w${i}`]) {
        const d = new Dense(3, 1);
        for (let k = 0; k < 3; k++) d.data[k] = rng.normal();
        values.set(name, d);
      }
    }
    const base = new Map<Term, Dense>();
    evaluateTerms([f], { values, dimSizes }, { collectIssues: false, memoOut: base });
    // Known: every node that does not involve w7.
    const moving = new Set([terms[7]!, f, ...childrenOfDeep(terms[7]!)].filter((t) => T.dependsOn(t, 'w7')));
    const known = { has: (t: Term) => !moving.has(t) && base.has(t), get: (t: Term) => (moving.has(t) ? undefined : base.get(t)) };
    const plan = planEvaluation([f], known);
    expect(plan.order.length).toBe(moving.size);
    expect(plan.sums.get(f)?.fixed.length).toBe(n - 1);
    const moved = new Map(values);
    moved.set('w7', dense.addScaled(values.get('w7')!, 0.1, values.get('v7')!));
    const viaPlan = evaluatePlan(plan, { values: moved, dimSizes }).values[0]!.scalarValue();
    const direct = evaluateTerms([f], { values: moved, dimSizes }).values[0]!.scalarValue();
    expect(viaPlan).toBeCloseTo(direct, 10);
  });

  test('300 variables are all checked', () => {
    const n = 300;
    const expression = Array.from({ length: n }, (_, i) => `sum(exp(v${i}.*w${i}))`).join(' + ');
    const result = gradient({ expression, wrt: Array.from({ length: n }, (_, i) => `w${i}`) });
    expect(result.ok && result.value.check?.status).toBe('passed');
  });
});

function childrenOfDeep(t: Term): Term[] {
  return postOrder([t]);
}

describe('library memory is bounded: new generations of terms keep earlier reports valid', () => {
  test('a gradient and a Jacobian printed and evaluated after a new generation read as before', () => {
    const g = gradient({ expression: 'a\'*exp(X*b) + logdet(S)', wrt: 'X,S', assume: 'S:spd' });
    const j = derivative({ expression: 'X*Y', wrt: 'X', command: 'jac' });
    expect(g.ok && j.ok).toBe(true);
    if (!g.ok || !j.ok) return;
    const before = { g: JSON.stringify(commandJson(g.value)), j: JSON.stringify(commandJson(j.value)), numpy: formatNumpy(g.value) };
    const values = (report: typeof g.value) => {
      const sizes = new Map([['n', 3], ['m', 4], ['k', 2]]);
      const rng = createRng(3);
      const inputs = new Map<string, Dense>();
      for (const [name, shape] of report.typed.variables) {
        const rows = typeof shape[0] === 'number' ? shape[0] : sizes.get(shape[0])!;
        const cols = typeof shape[1] === 'number' ? shape[1] : sizes.get(shape[1])!;
        const d = new Dense(rows, cols);
        for (let i = 0; i < d.data.length; i++) d.data[i] = rng.uniform(0.5, 1.5) + (i % (cols + 1) === 0 && rows === cols ? 3 : 0);
        inputs.set(name, d);
      }
      return evaluateTerms(report.gradients.map((x) => x.gradient), { values: inputs, dimSizes: sizes }).values.map((v) => Array.from(v.data));
    };
    const valuesBefore = values(g.value);

    expect(maybeNewGeneration(true)).toBe(true);
    // Other work in the new generation reuses the ids the old terms had.
    for (const e of ['tr(X*Y*Z)', 'x\'*A*x', 'sum(σ(W*x))']) gradient({ expression: e, wrt: e.includes('x') ? 'x' : 'X' });

    expect(JSON.stringify(commandJson(g.value))).toBe(before.g);
    expect(JSON.stringify(commandJson(j.value))).toBe(before.j);
    expect(formatNumpy(g.value)).toBe(before.numpy);
    expect(values(g.value)).toEqual(valuesBefore);
  });

  test('the tables start a new generation by themselves past the policy size, and stay near it', () => {
    const saved = generationPolicy.resetAt;
    generationPolicy.resetAt = 3000;
    try {
      const kept = gradient({ expression: 'x\'*A*x', wrt: 'x' });
      const printed = kept.ok ? JSON.stringify(commandJson(kept.value)) : '';
      let renewals = 0;
      let last = T.internedCount();
      for (let i = 0; i < 200; i++) {
        gradient({ expression: `sum(exp(${i + 1}*x .* y${i})) + tr(A${i}*X)`, wrt: 'x', check: false });
        if (T.internedCount() < last) renewals++;
        last = T.internedCount();
        expect(last).toBeLessThan(3000 + 2000);
      }
      expect(renewals).toBeGreaterThan(0);
      expect(kept.ok && JSON.stringify(commandJson(kept.value))).toBe(printed);
    } finally {
      generationPolicy.resetAt = saved;
    }
  });
});

describe('generated modules size the free dimensions no input carries', () => {
  test('x\'x + sum(eye): the module takes dim_m (default: the checked size) instead of naming an undefined m', () => {
    const result = gradient({ expression: "x'x + sum(eye)", wrt: 'x' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const module = formatNumpy(result.value);
    expect(module).toMatch(/def f_and_grad_x\(x, dim_m=\d\):/);
    expect(module).toContain('np.eye(dim_m)');
    const hasNumpy = hasPython('numpy');
    if (!hasNumpy) return; // no NumPy here: the text checks above stand
    const run = python3(['-'], { input: module, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
  });
});
