import katex from 'katex';
import { describe, expect, test } from 'vitest';
import { derivativeViews } from '../../src/emit/derivative.js';
import { commandJson } from '../../src/emit/command-json.js';
import { FORMATS } from '../../src/emit/formats.js';
import { emitText } from '../../src/emit/text.js';
import { derivative } from '../../src/pipeline.js';
import type { DerivativeCommand, Report } from '../../src/report.js';
import { derivativeBlocks } from '../../src/emit/blocks.js';

/**
 * Differentials, Jacobians and Hessians of textbook problems (the notes' MML chapter, the Matrix
 * Cookbook, ML losses): the printed form, the layout, and the numeric check, which must pass — it
 * compares each differential with finite differences, and each matrix read off with the differential.
 */

function run(command: DerivativeCommand, expression: string, wrt: string, extra: { layout?: 'numerator' | 'denominator'; assume?: string; dims?: string } = {}): Report {
  const result = derivative({ command, expression, wrt, steps: true, ...extra });
  if (!result.ok) throw new Error(`${command} ${expression}: ${result.diagnostics[0]!.message}`);
  return result.value;
}

/** label → text of every result line. */
function lines(report: Report): Record<string, string> {
  return Object.fromEntries(derivativeViews(report).lines.map((l) => [l.label, l.text]));
}

const CASES: [DerivativeCommand, string, string, Record<string, string>][] = [
  // Differentials of every output shape.
  ['diff', 'A*X*B', 'X', { dF: 'A dX B' }],
  ['diff', 'inv(X)', 'X', { dF: '−X⁻¹ dX X⁻¹' }],
  ['diff', 'X^T*X', 'X', { dF: 'Xᵀ dX + dXᵀX' }],
  ['diff', 'X^3', 'X', { dF: 'X dX X + X² dX + dX X²' }],
  ['diff', 'x*x\'', 'x', { dF: 'dx xᵀ + x dxᵀ' }],
  ['diff', 'aᵀexp(Xb)', 'X', { df: 'aᵀ(exp(Xb) ⊙ dX b)' }],
  ['diff', 'det(X)', 'X', { df: 'det(X)⟨X⁻ᵀ, dX⟩' }],
  ['diff', 'logdet(X)', 'X', { df: '⟨X⁻ᵀ, dX⟩' }],
  // Jacobians: vectors give a matrix (numerator layout), matrices a Kronecker form.
  ['jac', 'A*x', 'x', { dF: 'A dx', '∂F/∂x': 'A' }],
  ['jac', 'x', 'x', { '∂F/∂x': 'I' }],
  ['jac', 'exp(x)', 'x', { '∂F/∂x': 'diag(exp(x))' }],
  ['jac', 'x*(a\'*x)', 'x', { '∂F/∂x': '(aᵀx)I + xaᵀ' }],
  ['jac', 'x\'*A*x', 'x', { '∂f/∂x': 'xᵀ(A + Aᵀ)' }],
  ['jac', 'A*x + B*y', 'x,y', { '∂F/∂x': 'A', '∂F/∂y': 'B' }],
  ['jac', 'A*X*B', 'X', { '∂vec(F)/∂vec(X)': '(Bᵀ ⊗ A)' }],
  ['jac', 'X\'', 'X', { '∂vec(F)/∂vec(X)': 'K[n×m]' }],
  ['jac', 'X*a', 'X', { '∂vec(F)/∂vec(X)': '(aᵀ ⊗ I)' }],
  // Hessians: the operator H[V] always, the matrix for vectors, the Kronecker form for matrices.
  ['hess', 'xᵀAx', 'x', { 'H[V]': '(A + Aᵀ)V', '∇²_x f': 'A + Aᵀ' }],
  ['hess', '-yᵀlog σ(Xw) - (1 - y)ᵀlog(1 - σ(Xw))', 'w', { '∇_w f': 'Xᵀ(T₁ − y)', '∇²_w f': 'Xᵀdiag(T₂ ⊙ T₁)X' }],
  ['hess', 'norm2(A*x - y)^2', 'x', { '∇²_x f': '2AᵀA' }],
  ['hess', 'sum(exp(x))', 'x', { 'H[V]': 'V ⊙ exp(x)', '∇²_x f': 'diag(exp(x))' }],
  ['hess', 'aᵀx', 'x', { '∇²_x f': '0' }],
  ['hess', 'tr(XᵀAX)', 'X', { 'H[V]': '(A + Aᵀ)V', '∇²_X f': '(I ⊗ (A + Aᵀ))' }],
  ['hess', 'tr(X*X)', 'X', { 'H[V]': '2Vᵀ', '∇²_X f': '2 K[n×n]' }],
  ['hess', 'logdet(X)', 'X', { 'H[V]': '−X⁻ᵀVᵀX⁻ᵀ', '∇²_X f': '−(X⁻¹ ⊗ X⁻ᵀ) K[n×n]' }],
  ['hess', 'x\'*A*y', 'x,y', { '∂²f/∂x∂yᵀ': 'A', '∂²f/∂y∂xᵀ': 'Aᵀ', '∇²_x f': '0' }],
  ['hess', 'c^3 + c*xᵀx', 'c', { '∇²_c f': '6c' }],
  ['hess', 'xᵀx', 'x,z', { '∇²_x f': '2I', '∂²f/∂x∂zᵀ': '0', '∇²_z f': '0' }],
  ['jac', 'c^2', 'c', { '∂f/∂c': '2c' }],
  ['jac', 'x\'*A', 'x', { '∂F/∂x': 'Aᵀ' }],
  ['jac', 'A*x', 'z', { '∂F/∂z': '0' }],
];

describe.each(CASES)('%s %s --wrt %s', (command, expression, wrt, expected) => {
  test('prints the textbook form and passes the numeric check', () => {
    const report = run(command, expression, wrt);
    const got = lines(report);
    for (const [label, text] of Object.entries(expected)) expect(got[label], `${label} in ${JSON.stringify(got)}`).toBe(text);
    expect(report.check?.status, report.check?.reason).toBe('passed');
  });
});

describe('layout', () => {
  test('jac --layout denominator is the transpose, and says so', () => {
    const numerator = run('jac', 'A*x', 'x');
    const denominator = run('jac', 'A*x', 'x', { layout: 'denominator' });
    const n = derivativeViews(numerator).lines.find((l) => l.role === 'jacobian')!;
    const d = derivativeViews(denominator).lines.find((l) => l.role === 'jacobian')!;
    expect(n.text).toBe('A');
    expect(n.caption).toMatch(/^numerator layout: n×m, rows follow F/);
    expect(d.text).toBe('Aᵀ');
    expect(d.caption).toMatch(/^denominator layout: m×n, rows follow x/);
    expect(denominator.check?.status).toBe('passed');
  });

  test('the gradient of a scalar in numerator layout is a row: ∂f/∂x = ∇fᵀ', () => {
    const row = run('jac', 'norm2(A*x - y)^2', 'x');
    const column = run('jac', 'norm2(A*x - y)^2', 'x', { layout: 'denominator' });
    expect(derivativeBlocks(row)[0]!.matrix!.shape).toEqual([1, 'm']);
    expect(derivativeBlocks(column)[0]!.matrix!.shape).toEqual(['m', 1]);
    expect(emitText([derivativeBlocks(column)[0]!.matrix!]).main[0]).toBe('2Aᵀ(Ax − y)');
  });
});

describe('symmetric variables', () => {
  test('hess with a symmetric matrix notes the unstructured convention and checks along symmetric directions', () => {
    const report = run('hess', 'xᵀSx', 'x', { assume: 'S:symmetric' });
    expect(lines(report)['∇²_x f']).toBe('2S');
    expect(report.check?.status).toBe('passed');
  });
  test('diff of a function of a symmetric matrix says which convention it uses', () => {
    const report = run('diff', 'logdet(S)', 'S', { assume: 'S:spd' });
    expect(report.notes.join('\n')).toMatch(/S is symmetric/);
    expect(report.check?.status).toBe('passed');
  });
});

describe('--steps: the forward derivation, one line per node', () => {
  test('aᵀexp(Xb)', () => {
    const report = run('diff', 'aᵀexp(Xb)', 'X');
    expect(report.steps!.map((s) => s.text)).toEqual([
      'd(Xb) = dX b',
      'd(exp(Xb)) = exp(Xb) ⊙ d(Xb)',
      'd(aᵀexp(Xb)) = aᵀd(exp(Xb))',
      'df = aᵀ(exp(Xb) ⊙ dX b)',
    ]);
    expect(report.steps!.map((s) => s.rule)).toEqual(['product', 'fwd.exp', 'product', 'total']);
  });
  test('a user definition is named in the steps', () => {
    const report = run('diff', 'Y = σ(WX); ⟨Y, MY⟩', 'W');
    expect(report.steps!.some((s) => s.text.startsWith('dY = '))).toBe(true);
    expect(report.check?.status).toBe('passed');
  });
});

describe('LaTeX', () => {
  test.each(CASES)('%s %s renders with KaTeX (results, derivation, JSON fields)', (command, expression, wrt) => {
    const report = run(command, expression, wrt);
    const latex = FORMATS.latex!(report, { steps: true, standalone: false });
    for (const block of latex.trim().split('\n\n')) expect(() => katex.renderToString(block, { throwOnError: true, displayMode: true })).not.toThrow();
    const json = commandJson(report) as { results: { latex: string }[] };
    for (const r of json.results) expect(() => katex.renderToString(r.latex, { throwOnError: true })).not.toThrow();
    expect(latex).not.toMatch(/§/);
  });
});

describe('JSON', () => {
  test('hess: hessian.numpy for a vector, hessian.product.numpy with direction V', () => {
    const json = commandJson(run('hess', 'xᵀAx', 'x')) as { hessian: { numpy: string; form: string; product: { numpy: string; direction: string } } };
    expect(json.hessian.numpy).toBe('A + A.T');
    expect(json.hessian.form).toBe('matrix');
    expect(json.hessian.product).toEqual(expect.objectContaining({ direction: 'V', numpy: '(A + A.T) @ V' }));
  });
  test('hess of a matrix variable: the product only, no hessian.numpy', () => {
    const json = commandJson(run('hess', 'tr(XᵀAX)', 'X')) as { hessian: { numpy?: string; form: string; product: { numpy: string } } };
    expect(json.hessian.numpy).toBeUndefined();
    expect(json.hessian.form).toBe('kronecker');
    expect(json.hessian.product.numpy).toBe('(A + A.T) @ V');
  });
  test('jac: jacobian.numpy when the Jacobian is a matrix, the layout stated', () => {
    const json = commandJson(run('jac', 'A*x', 'x', { layout: 'denominator' })) as { jacobian: { numpy: string; layout: string; form: string } };
    expect(json.jacobian).toEqual(expect.objectContaining({ numpy: 'A.T', layout: 'denominator', form: 'matrix' }));
  });
  test('several variables: jacobians and hessians list every block', () => {
    const jac = commandJson(run('jac', 'A*x + B*y', 'x,y')) as { jacobians: { variable: string; text: string; numpy: string }[] };
    expect(jac.jacobians.map((j) => [j.variable, j.text, j.numpy])).toEqual([
      ['x', 'A', 'A'],
      ['y', 'B', 'B'],
    ]);
    const hess = commandJson(run('hess', 'xᵀAy', 'x,y')) as { hessians: { of: string; variable: string; text: string; product: { direction: string } }[] };
    expect(hess.hessians.map((h) => [h.of, h.variable, h.text, h.product.direction])).toEqual([
      ['x', 'x', '0', 'V_x'],
      ['x', 'y', 'A', 'V_y'],
      ['y', 'x', 'Aᵀ', 'V_x'],
      ['y', 'y', '0', 'V_y'],
    ]);
  });

  test('no internal names leak into any output', () => {
    for (const [command, expression, wrt] of CASES) {
      const text = JSON.stringify(commandJson(run(command, expression, wrt)));
      expect(text, `${command} ${expression}`).not.toMatch(/§/);
    }
  });
});

describe('numeric check', () => {
  test('a wrong read-off is caught: the check compares the matrix with the differential', async () => {
    const { readOffError } = await import('../../src/verify/linear-map.js');
    const T = await import('../../src/term/factory.js');
    const report = run('jac', 'A*x', 'x');
    const block = derivativeBlocks(report)[0]!;
    const common = { variables: report.variables, assumptions: new Map(), dimSizes: new Map([['n', 3], ['m', 4]]), seed: 1 };
    expect(readOffError({ ...common, differential: block.linear, direction: block.direction, matrix: block.matrix!, transposed: false })).toBeLessThan(1e-12);
    const wrong = T.mul([T.num(2), block.matrix!]);
    expect(readOffError({ ...common, differential: block.linear, direction: block.direction, matrix: wrong, transposed: false })).toBeGreaterThan(0.1);
  });
  test('a wrong differential fails the finite-difference check', async () => {
    const { checkDifferential } = await import('../../src/verify/linear-map.js');
    const T = await import('../../src/term/factory.js');
    const report = run('diff', 'inv(X)', 'X');
    const block = derivativeBlocks(report)[0]!;
    const common = { variables: report.variables, assumptions: new Map(), dimSizes: new Map([['n', 3]]), seed: 1, f: report.f, variable: 'X', direction: block.direction };
    expect(checkDifferential({ ...common, differential: block.linear }).status).toBe('passed');
    // The classic slip: d(X⁻¹) = −X⁻¹ dX X⁻¹ with the sign dropped.
    expect(checkDifferential({ ...common, differential: T.mul([T.num(-1), block.linear]) }).status).toBe('failed');
  });
});

describe('regressions found by the property tests', () => {
  test('nested inverses at a poorly conditioned draw: rounding is not a wrong read-off (fuzz seed 2027)', () => {
    const expression = "Y = S; Z = (inv((A * (A)' + eye)) .* Y) + S; <Z, S> + sum(Y .* Z) + det((inv(R) * (inv(R))' + eye))";
    const result = derivative({ command: 'hess', expression, wrt: 'R', dims: 'A=3x4,S=3x3,R=4x4', seed: 3329 });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    expect(result.value.check?.status, result.value.check?.reason).toBe('passed');
  });

  test.each([["Y = (((R)' * R + eye))^(-1); <Y, inv(Y)> + c"], ["Y = ((((R / 2))' * (R / 2) + eye))^(-1); <Y, inv(Y)> + c"]])(
    'a constant function whose Kronecker parts cancel (⟨Y, Y⁻¹⟩ = n) is not reported as a wrong read-off: %s',
    (expression) => {
      const result = derivative({ command: 'jac', expression, wrt: 'R', dims: 'R=4x4,c=1', seed: 1 });
      if (!result.ok) throw new Error(result.diagnostics[0]!.message);
      expect(result.value.check?.status).not.toBe('failed');
    },
  );
});

test('the read-off check is relative to the derivative, not to the direction: a small wrong matrix fails', async () => {
  const { readOffError } = await import('../../src/verify/linear-map.js');
  const T = await import('../../src/term/factory.js');
  const report = run('jac', '1e-9*A*x', 'x');
  const block = derivativeBlocks(report)[0]!;
  const common = { variables: report.variables, assumptions: new Map(), dimSizes: new Map([['n', 3], ['m', 4]]), seed: 1 };
  expect(readOffError({ ...common, differential: block.linear, direction: block.direction, matrix: block.matrix!, transposed: false })).toBeLessThan(1e-12);
  const wrong = T.mul([T.num(1.5), block.matrix!]);
  expect(readOffError({ ...common, differential: block.linear, direction: block.direction, matrix: wrong, transposed: false })).toBeGreaterThan(0.1);
});

test('a Kronecker form too large to read is replaced by the (exact) linear map, and said so', () => {
  let e = 'X';
  for (let k = 1; k < 40; k++) e = `X + inv(${e})`;
  const report = run('hess', `logdet(${e})`, 'X');
  const block = derivativeBlocks(report)[0]!;
  expect(block.kron).toBeUndefined();
  expect(block.unreadable).toMatch(/more than 60 factors/);
  expect(report.check?.status).not.toBe('failed');
});

test('a tower of 40 definitions (f doubles with every level when written out) prints f with its definitions in JSON', async () => {
  const { commandJson } = await import('../../src/emit/command-json.js');
  const { gradient } = await import('../../src/pipeline.js');
  const defs = ['Y1 = sigmoid(W*X)'];
  for (let k = 1; k < 40; k++) defs.push(`Y${k + 1} = Y${k} .* Y${k} + Y${k}`);
  const expression = `${defs.join('; ')}; sum(Y40)`;
  const g = gradient({ expression, wrt: 'W', check: false });
  if (!g.ok) throw new Error(g.diagnostics[0]!.message);
  const json = commandJson(g.value) as { function: { text: string } };
  expect(json.function.text).toMatch(/^sum\(Y₄₀\) where Y₁ = σ\(WX\), Y₂ = Y₁ ⊙ Y₁ \+ Y₁, /);
  const d = run('diff', expression, 'W');
  expect((commandJson(d) as { function: { text: string } }).function.text).toMatch(/^sum\(Y₄₀\) where /);
}, 60_000);
