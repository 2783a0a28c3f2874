import { writeFileSync } from 'node:fs';
import path from 'node:path';
import katex from 'katex';
import { describe, expect, test } from 'vitest';
import { derivativeViews } from '../../src/emit/derivative.js';
import { FORMATS } from '../../src/emit/formats.js';
import { textAnswer } from '../../src/emit/text-answer.js';
import { derivative } from '../../src/pipeline.js';
import type { DerivativeCommand, Report } from '../../src/report.js';
import type { Term } from '../../src/term/term.js';
import { postOrder } from '../../src/term/traverse.js';
import { chooseDimSizes, collectFreeDims, drawInDomain } from '../../src/verify/sample.js';
import { blockDifferences } from '../helpers/central-differences.js';
import { runPythonModules } from '../helpers/python-batch.js';
import { hasPython } from '../helpers/python-probe.js';
import { scratchFolders } from '../helpers/scratch.js';
import { derivativeBlocks } from '../../src/emit/blocks.js';

/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('columns');

/**
 * For a vector variable the Jacobian and the Hessian are always an ordinary matrix (issue 12 §2), also
 * through the matrix functions whose derivatives are ops of their own (expm's Fréchet derivative, the
 * Hessians of λ_max, ‖X‖₂ and ‖X‖_*, sqrtm's and logm's Fréchet derivatives, the polar factor, vec):
 * there the read-off has no identity and reads that part column by column, columns(B, V) — column j
 * is B at V = eⱼ (Magnus & Neudecker 2019, ch. 5: column j of a Jacobian is the derivative along eⱼ).
 * Everywhere else it must keep its closed form: each case says which (`closed` has no columns(·)).
 *
 * Each case: one matrix per block (no Kronecker form, no "no matrix read off"), the pipeline's own
 * check passed, and the matrix equal entry by entry to central differences computed here (of F for a
 * Jacobian, of f for a Hessian). The NumPy modules of the cases read column by column run in python3.
 *
 * References: [MC] Matrix Cookbook (2012) by section; [H] Higham, Functions of Matrices (2008);
 * [MN] Magnus & Neudecker, Matrix Differential Calculus (2019); [BV] Boyd & Vandenberghe, Convex
 * Optimization, A.4; [O] Overton & Womersley 1995 (derivatives of eigenvalues and singular values).
 */
type Form = 'closed' | 'columns';
interface Case {
  readonly command: DerivativeCommand;
  readonly expression: string;
  readonly wrt: string;
  readonly form: Form;
  readonly ref: string;
  readonly assume?: string;
  readonly dims?: string;
}

const hess = (expression: string, form: Form, ref: string, assume?: string, wrt = 'x'): Case => ({ command: 'hess', expression, wrt, form, ref, ...(assume ? { assume } : {}) });
const jac = (expression: string, form: Form, ref: string, assume?: string, wrt = 'x'): Case => ({ command: 'jac', expression, wrt, form, ref, ...(assume ? { assume } : {}) });
/** x a row (1×3): vec(dx) = dxᵀ, so the matrix is the same as for the column xᵀ. */
const row = (c: Case): Case => ({ ...c, dims: 'x=1x3' });

const CASES: readonly Case[] = [
  // Hessians of scalar functions of x: quadratic forms, inverses, determinants (closed forms).
  hess("x'*A*x", 'closed', '[MC] §2.4.2 eq. 81'),
  hess("logdet(A + x*x')", 'closed', '[MC] §2.1.4 eq. 57', 'A:spd'),
  hess("x'*A*x/(x'*B*x)", 'closed', '[MC] §2.4 (generalised Rayleigh quotient)', 'B:spd'),
  hess("a'*inv(A + diag(x))*a", 'closed', '[MC] §2.2 eq. 59', 'A:spd,x:positive'),
  hess("det(A + x*x')", 'closed', '[MC] §2.1.1 eq. 46', 'A:spd'),
  hess("tr(inv(A + x*x'))", 'closed', '[MC] §2.2 eq. 59, §2.5 eq. 113', 'A:spd'),
  hess('logdet(diag(x))', 'closed', '[BV] A.4.1', 'x:positive'),
  hess("logdet(A + diag(exp(x)))", 'closed', '[MC] §2.1.4 eq. 57 and the chain rule', 'A:spd'),
  hess('logsumexp(x)', 'closed', '[BV] §3.1.5: diag(p) − ppᵀ'),
  hess('logsumexp(A*x)', 'closed', '[BV] §3.1.5 and A.4.2 (composition with an affine map)'),
  hess("a'*softmax(x)", 'closed', '[BV] A.4.1 (softmax Jacobian)'),
  hess("y'*log_softmax(W*x)", 'closed', 'Bishop §4.3.4 (cross-entropy)'),
  hess('mean(x)^2', 'closed', '[MC] §2.4 (chain rule)'),
  hess('var(x)', 'closed', '[MC] §2.4.2 (a quadratic form)'),
  hess('norm(x)', 'closed', '[MC] §2.6 eq. 129'),
  hess('sum(sqrt(x))', 'closed', '[MC] §2.8 (element-wise)', 'x:positive'),
  hess('sum(x)^3', 'closed', '[MC] §2.4 (chain rule)'),
  hess("a'*(A + x*x')^2*a", 'closed', '[MC] §2.3 (powers)'),
  hess("a'*(A + x*x')^3*a", 'closed', '[MC] §2.3 (powers)'),
  hess("a'*solve(A + x*x', b)", 'closed', '[MC] §2.2 eq. 59', 'A:spd'),
  hess("exp(-x'*x/2)", 'closed', '[MC] §8.1 (a Gaussian kernel)'),
  hess("(y - x)'*inv(S)*(y - x)", 'closed', '[MC] §8.1 (Gaussian log-density)', 'S:spd'),
  hess('sum(softplus(A*x))', 'closed', '[BV] §7.1.1 (logistic loss)'),
  hess('norm2(x)^3', 'closed', '[MC] §2.6'),
  hess("x'*expm(A)*x", 'closed', '[MC] §2.4.2 eq. 81 (a constant expm)'),
  hess("logsumexp(x) - a'*x", 'closed', '[BV] §3.1.5'),
  // Hessians through matrix functions and spectral quantities: read column by column.
  hess("eigmax(A + x*x')", 'columns', '[O] §3 (second derivative of λ_max)', 'A:symmetric'),
  hess('eigmax(A + diag(x))', 'columns', '[O] §3', 'A:symmetric'),
  hess("specnorm(A + x*b')", 'columns', '[O] §4 (second derivative of σ₁)'),
  hess("norm(A + x*b', 2)", 'columns', '[O] §4 (the spectral norm spelled as NumPy does)'),
  hess("nucnorm(A + x*b')", 'columns', '[MN] ch. 8 (the polar factor UVᵀ and its derivative)'),
  hess("tr(expm(A + x*x'))", 'columns', '[H] §3.2 and §10.6 (Fréchet derivative of expm)'),
  hess('tr(expm(diag(x)))', 'columns', '[H] §10.6'),
  hess("a'*expm(A + x*b')*c", 'columns', '[H] §10.6 (second Fréchet derivative)'),
  hess("tr(sqrtm(A + x*x'))", 'columns', '[H] §6.1 (Fréchet derivative of sqrtm)', 'A:spd'),
  hess("tr(logm(A + x*x'))", 'closed', '[H] §11.2: tr logm(X) = log det X, read as such', 'A:spd'),
  hess("a'*logm(A + x*x')*a", 'columns', '[H] §11.2 (Fréchet derivative of logm)', 'A:spd'),
  hess("a'*expm(diag(x))*a", 'columns', '[H] §10.6'),
  hess("tr(expm(x*x'))", 'columns', '[H] §10.6'),
  hess("eigmax(x*x' + A)*x'*x", 'columns', '[O] §3 and the product rule', 'A:symmetric'),
  hess("a'*sqrtm(A + diag(x))*a", 'columns', '[H] §6.1', 'A:spd,x:positive'),
  hess('specnorm(diag(x) + A)', 'columns', '[O] §4'),
  hess("x'*expm(A + y*y')*x", 'columns', '[H] §10.6 (two vector variables)', undefined, 'x,y'),
  hess("eigmax(A + x*y' + y*x')", 'columns', '[O] §3 (two vector variables)', 'A:symmetric', 'x,y'),
  // Jacobians of vector functions of x.
  jac("inv(A + x*x')*b", 'closed', '[MC] §2.2 eq. 59', 'A:spd'),
  jac('softmax(x)', 'closed', '[BV] A.4.1: Diag(p) − ppᵀ'),
  jac('softmax(A*x)', 'closed', '[BV] A.4.1 and the chain rule'),
  jac('log_softmax(x)', 'closed', 'Bishop §4.3.4'),
  jac('solve(A + diag(x), b)', 'closed', '[MC] §2.2 eq. 59', 'A:spd,x:positive'),
  jac('x/norm(x)', 'closed', '[MC] §2.6'),
  jac("(A + x*x')^2*b", 'closed', '[MC] §2.3'),
  jac('diag(inv(A + diag(x)))', 'closed', '[MC] §2.2 eq. 59', 'A:spd,x:positive'),
  jac("pinv(A + x*b')*c", 'closed', '[MC] §2.2 eq. 59 (pinv of a square full-rank matrix)'),
  jac('x .* (A*x)', 'closed', '[MC] §2.4 (Hadamard product rule)'),
  jac('exp(x)/sum(exp(x))', 'closed', '[BV] A.4.1 (softmax spelled out)'),
  jac("specnorm(A + x*b')*a", 'closed', '[O] §4 (the gradient u₁v₁ᵀ, first order only)'),
  jac("eigmax(A + x*x')*x", 'closed', '[O] §3 (first order)', 'A:symmetric'),
  jac("logdet(A + x*x')*b", 'closed', '[MC] §2.1.4 eq. 57', 'A:spd'),
  jac('softmax(W*x + c)', 'closed', 'Bishop §5.3 (a softmax layer)'),
  jac("expm(diag(x))*b", 'columns', '[H] §10.6'),
  jac("expm(A + x*b')*c", 'columns', '[H] §10.6'),
  jac("sqrtm(A + x*x')*b", 'columns', '[H] §6.1', 'A:spd'),
  jac("logm(A + x*x')*b", 'columns', '[H] §11.2', 'A:spd'),
  jac("polar(A + x*b')*c", 'columns', '[MN] ch. 8 (derivative of the polar factor)'),
  jac('diag(expm(A + diag(x)))', 'columns', '[H] §10.6'),
  jac("expm(A + x*x')*x", 'columns', '[H] §10.6 and the product rule'),
  jac("x'*expm(A + x*x')", 'columns', '[H] §10.6 (a row-valued F)'),
  // vec of a matrix linear in x: vec(ABC) = (Cᵀ ⊗ A)vec(B) with vec(x) = vec(xᵀ) = x, a Kronecker matrix.
  jac("vec(x*x')", 'closed', '[MC] §10.2.2 eq. 520: x ⊗ I + I ⊗ x'),
  jac("vec(A*x*b')", 'closed', '[MC] §10.2.2 eq. 520: b ⊗ A'),
  jac("vec(a*x')", 'closed', '[MN] ch. 2 (vec abᵀ = b ⊗ a): I ⊗ a'),
  jac("vec(X*x*x')", 'closed', '[MC] §10.2.2 eq. 520 and the product rule'),
  jac("vec((a'*x)*M)", 'closed', '[MN] ch. 9: vec(M)aᵀ'),
  jac("vec(x*x' + A*x*b') + vec(B)*(c'*x)", 'closed', '[MN] ch. 9 (sums of the forms)'),
  jac("vec(exp(x*x'))", 'columns', '[MN] ch. 9 (a Hadamard product inside vec: no closed part)'),
  jac('vec(A*diag(x)*B)', 'columns', '[MN] ch. 9 (Khatri–Rao; no term for it)'),
  // A scalar variable: the one column is B at dt = 1, a closed form (no columns(·)).
  { ...jac('expm(t*A)*b', 'closed', '[H] §10.6: d/dt expm(tA)b = L(tA, A)b', undefined, 't'), dims: 't=1' },
  // Row-vector variables.
  row(hess("x*A*x'", 'closed', '[MC] §2.4.2 eq. 81 (x a row)')),
  row(hess("logdet(A + x'*x)", 'closed', '[MC] §2.1.4 eq. 57 (x a row)', 'A:spd')),
  row(hess("x*A*x'/(x*B*x')", 'closed', '[MC] §2.4 (x a row)', 'B:spd')),
  row(jac("x*inv(A + x'*x)", 'closed', '[MC] §2.2 eq. 59 (a row F of a row x)', 'A:spd')),
  row(hess("tr(expm(A + x'*x))", 'columns', '[H] §10.6 (x a row)')),
  row(hess("eigmax(A + x'*x)", 'columns', '[O] §3 (x a row)', 'A:symmetric')),
  row(jac("x*expm(A + x'*x)", 'columns', '[H] §10.6 (a row F of a row x)')),
  row(jac("vec(x'*x)", 'closed', '[MC] §10.2.2 eq. 520 (x a row)')),
  row(jac("sqrtm(A + x'*x)*b", 'columns', '[H] §6.1 (x a row)', 'A:spd')),
];

function run(c: Case): Report {
  const result = derivative({ command: c.command, expression: c.expression, wrt: c.wrt, ...(c.assume ? { assume: c.assume } : {}), ...(c.dims ? { dims: c.dims } : {}) });
  if (!result.ok) throw new Error(`${c.command} ${c.expression}: ${result.diagnostics[0]!.message}`);
  return result.value;
}

const readsColumns = (t: Term) => postOrder([t]).some((n) => n.kind === 'op' && n.op === 'columns');

test('the table is broad: at least 60 problems, both forms, Hessians and Jacobians', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(60);
  for (const form of ['closed', 'columns'] as const) for (const command of ['hess', 'jac'] as const) expect(CASES.some((c) => c.form === form && c.command === command)).toBe(true);
});

describe.each(CASES.map((c) => [`${c.command} ${c.expression} --wrt ${c.wrt}${c.dims ? ` --dims ${c.dims}` : ''}`, c] as const))('%s', (_, c) => {
  test(`a matrix (${c.form}) that matches central differences (${c.ref})`, () => {
    const report = run(c);
    const views = derivativeViews(report).lines;
    const matrices = views.filter((l) => l.role === 'jacobian' || l.role === 'hessian');
    expect(matrices.length).toBe(derivativeBlocks(report).length);
    expect(derivativeBlocks(report).every((b) => b.matrix !== undefined && b.kron === undefined)).toBe(true);
    for (const line of matrices) {
      expect(line.label).not.toMatch(/vec/);
      // Not the vec-Jacobian's Kronecker form; a Kronecker product is an ordinary matrix where F is a vec.
      expect(line.text).not.toMatch(c.expression.includes('vec(') ? /K\[/ : /⊗|K\[/);
      expect(line.caption ?? '').not.toMatch(/no matrix/);
      // The fallback says what it means wherever it is printed.
      if (/columns\(/.test(line.text)) expect(line.caption).toMatch(/column j is B at \S+ = eⱼ/);
    }
    expect(derivativeBlocks(report).some((b) => readsColumns(b.matrix!))).toBe(c.form === 'columns');
    expect(report.check?.status, report.check?.reason).toBe('passed');
    const dimSizes = chooseDimSizes(collectFreeDims(report.variables));
    const drawn = drawInDomain(report.variables, report.declarations.assumptions, dimSizes, 11, [report.f, ...derivativeBlocks(report).map((b) => b.matrix!)]);
    expect(drawn, 'no input inside the domain').toBeDefined();
    derivativeBlocks(report).forEach((block, k) => {
      const got = drawn!.evaluated[k + 1]!;
      const expected = blockDifferences(report, block.of, block.wrt, drawn!.values, dimSizes);
      expect([got.rows, got.cols]).toEqual([expected.rows, expected.cols]);
      const scale = Math.max(1, ...Array.from(expected.data, Math.abs));
      const worst = Math.max(...Array.from(got.data, (g, i) => Math.abs(g - expected.data[i]!)));
      expect(worst / scale, `${block.of ?? ''}/${block.wrt}: ${got.data} vs ${expected.data}`).toBeLessThan(1e-4);
    });
  });
});

describe('columns(B, V) in every output format', () => {
  const fallback = CASES.filter((c) => c.form === 'columns');

  test('text, ASCII and JSON print it with its caption; the LaTeX renders in KaTeX', () => {
    for (const c of fallback) {
      const report = run(c);
      // Each block says what columns(·) means; the assembled ∇²_(x, y) is "the blocks above as one matrix".
      const text = textAnswer(report).lines.filter((l) => /columns\(/.test(l.text) && !l.label.startsWith('∇²_('));
      expect(text.length, c.expression).toBeGreaterThan(0);
      for (const line of text) expect(line.caption, c.expression).toMatch(/columns\(B, \S+\): the matrix whose column j is B/);
      const json = JSON.parse(FORMATS.json!(report, { steps: false, standalone: false })) as { results: { role: string; text: string; ascii: string; caption?: string }[] };
      const matrices = json.results.filter((r) => (r.role === 'hessian' || r.role === 'jacobian') && /columns\(/.test(r.ascii));
      expect(matrices.length, c.expression).toBeGreaterThan(0);
      for (const r of matrices) expect(r.caption, c.expression).toMatch(/column j is B/);
      const latex = FORMATS.latex!(report, { steps: false, standalone: false });
      expect(latex).toMatch(/\\operatorname\{columns\}/);
      for (const block of latex.trim().split('\n\n')) expect(() => katex.renderToString(block, { throwOnError: true, displayMode: true }), c.expression).not.toThrow();
    }
  });

  const runAll = (format: 'numpy' | 'torch', pattern: RegExp) => {
    const dir = scratch();
    const paths = fallback.map((c, i) => {
      const file = path.join(dir, `module_${i}.py`);
      const code = FORMATS[format]!(run(c), { steps: false, standalone: false });
      expect(code, c.expression).toMatch(pattern);
      writeFileSync(file, code);
      return file;
    });
    runPythonModules(paths).forEach((r, i) => {
      const c = fallback[i]!;
      expect(r.status, `${c.command} ${c.expression}: ${r.output}`).toBe(0);
      expect(r.output, c.expression).toMatch(c.command === 'jac' ? /jacobian_\w+ applied to the directions/ : /hessian_\w+ applied to the directions/);
    });
  };
  test.skipIf(!hasPython('numpy', 'scipy'))('the NumPy module stacks B over the columns of np.eye and re-checks the matrix (one python3)', () => runAll('numpy', /np\.stack\(\[.* for \w+ in np\.eye\(/));
  test.skipIf(!hasPython('torch'))('the PyTorch module does the same over torch.eye (one python3)', () => runAll('torch', /torch\.stack\(\[.* for \w+ in torch\.eye\(/));
});
