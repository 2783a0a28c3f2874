import { describe, expect, it } from 'vitest';
import { dimExpressions } from '../../src/emit/report.js';
import { gradientViews } from '../../src/emit/derivative.js';
import { functionText } from '../../src/emit/command-json.js';
import { pythonName } from '../../src/emit/numpy.js';
import { emitTorch } from '../../src/emit/torch.js';
import { derivative, gradient } from '../../src/pipeline.js';
import { drawInDomain } from '../helpers/draws.js';
import { python3 } from '../helpers/python.js';

/**
 * Matrix functions and norms (issue 12 §1): the matrix exponential, the spectral and nuclear norms and
 * λ_max, each problem with its reference. Every gradient passes matcalc's check; where a textbook form
 * exists the printed gradient is asserted; the conditions are stated (a "holds where" note); and the
 * emitted NumPy and PyTorch gradients agree with central differences of the emitted function, run by
 * NumPy and PyTorch (one python3 for the whole table), independent of matcalc's evaluator.
 */
interface Problem {
  readonly expr: string;
  readonly wrt: string;
  readonly dims: string;
  readonly ref: string;
  /** The printed gradient, where the reference gives a form. */
  readonly printed?: string;
  /** A fragment of the note stating the condition. */
  readonly holds?: string;
}

const PROBLEMS: readonly Problem[] = [
  // ── expm (Higham, Functions of Matrices, 2008, §3.1 and (3.16); Giles 2008, §3.1) ──
  { expr: 'tr(expm(X))', wrt: 'X', dims: 'X=3x3', ref: 'Higham (3.16): L(Xᵀ, I) = expm(Xᵀ)', printed: 'expm(Xᵀ)' },
  { expr: 'tr(A*expm(X))', wrt: 'X', dims: 'X=3x3', ref: 'Giles 2008 §3.1', printed: 'expm_frechet(Xᵀ, Aᵀ)' },
  { expr: "a'*expm(X)*b", wrt: 'X', dims: 'X=4x4', ref: 'Higham §3.1, problem 3.2', printed: 'expm_frechet(Xᵀ, abᵀ)' },
  { expr: 'sum(expm(X))', wrt: 'X', dims: 'X=3x3', ref: 'Higham §3.1', printed: 'expm_frechet(Xᵀ, 𝟙𝟙ᵀ)' },
  { expr: "tr(expm(X'*X))", wrt: 'X', dims: 'X=4x3', ref: 'chain rule, XᵀX symmetric', printed: '2X·expm(XᵀX)' },
  { expr: 'tr(expm(2*X))', wrt: 'X', dims: 'X=3x3', ref: 'Higham (3.16)', printed: '2·expm(2Xᵀ)' },
  // The textbook's 2tr(expm(X))expm(Xᵀ): the scalar stays inside L(Xᵀ, 2tr(expm(X))I) today.
  { expr: 'tr(expm(X))^2', wrt: 'X', dims: 'X=3x3', ref: 'chain rule' },
  { expr: "x'*expm(A)*x", wrt: 'x', dims: 'x=3', ref: 'quadratic form (Cookbook (81))', printed: '(expm(A) + expm(A)ᵀ)x' },
  { expr: "x'*expm(A)*x", wrt: 'A', dims: 'x=3', ref: 'Higham problem 3.2', printed: 'expm_frechet(Aᵀ, xxᵀ)' },
  { expr: "norm2(expm(X) - B)^2", wrt: 'X', dims: 'X=3x3', ref: 'least squares through expm' },
  { expr: 'tr(expm(A + t*B))', wrt: 't', dims: 'A=3x3,t=1', ref: 'd/dt tr e^{A+tB} = tr(e^{A+tB}B)' },
  { expr: 'logdet(expm(X))', wrt: 'X', dims: 'X=3x3', ref: 'log det e^X = tr X (Higham theorem 1.45)' },
  // ── spectral norm ‖X‖₂ = σ₁ (Magnus & Neudecker §8.9; Lewis 1995) ──
  { expr: '‖X‖₂', wrt: 'X', dims: 'X=4x3', ref: 'M&N §8.9: ∇σ₁ = u₁v₁ᵀ', printed: 'specnorm_grad(X)', holds: 'largest singular value of X is simple' },
  { expr: '‖X‖₂^2', wrt: 'X', dims: 'X=3x5', ref: '∇σ₁² = 2σ₁u₁v₁ᵀ', printed: '2‖X‖₂specnorm_grad(X)' },
  { expr: '‖A*X‖₂', wrt: 'X', dims: 'A=4x3,X=3x3', ref: 'chain rule', printed: 'Aᵀspecnorm_grad(AX)', holds: 'largest singular value of AX is simple' },
  { expr: 'norm(X)', wrt: 'X', dims: 'X=3x4', ref: "MATLAB's norm(X): the spectral norm", printed: 'specnorm_grad(X)' },
  { expr: 'norm(x)', wrt: 'x', dims: 'x=4', ref: "MATLAB's norm(x): the 2-norm", printed: 'x / ‖x‖' },
  { expr: '‖x‖₂', wrt: 'x', dims: 'x=4', ref: 'the operator norm of a vector is its 2-norm', printed: 'x / ‖x‖' },
  { expr: '‖X‖₂ + ‖X‖_F^2', wrt: 'X', dims: 'X=3x3', ref: 'both norms' },
  { expr: '‖X - Y‖₂', wrt: 'Y', dims: 'X=3x4', ref: 'chain rule', printed: '−specnorm_grad(X − Y)' },
  // ── λ_max (Magnus & Neudecker §8.8, theorem 8.7; Overton 1992) ──
  { expr: 'λ_max(S)', wrt: 'S', dims: 'S=4x4', ref: 'M&N theorem 8.7: ∇λ = uuᵀ', printed: 'eigmax_grad(S)', holds: 'largest eigenvalue of S is simple' },
  { expr: "eigmax(X'*X)", wrt: 'X', dims: 'X=4x3', ref: 'λ_max(XᵀX) = σ₁(X)²', printed: '2X·eigmax_grad(XᵀX)' },
  { expr: "eigmax(A + x*x')", wrt: 'x', dims: 'A=3x3', ref: 'rank-one update', printed: '2·eigmax_grad(A + xxᵀ)x' },
  { expr: 'lambda_max(S)^2', wrt: 'S', dims: 'S=3x3', ref: 'chain rule' },
  // ── nuclear norm ‖X‖_* (Watson 1992; Lewis 1995) ──
  { expr: '‖X‖_*', wrt: 'X', dims: 'X=4x3', ref: 'Watson 1992: ∇‖X‖_* = UVᵀ (full rank)', printed: 'polar(X)', holds: 'X has full rank' },
  { expr: 'nuclear(X)', wrt: 'X', dims: 'X=2x4', ref: 'wide X', printed: 'polar(X)' },
  { expr: '‖A*X‖_*', wrt: 'X', dims: 'A=3x3,X=3x3', ref: 'chain rule', printed: 'Aᵀpolar(AX)' },
  { expr: "‖X‖_* + tr(X'*X)", wrt: 'X', dims: 'X=3x3', ref: 'a regularised objective' },
];

describe('matrix functions: gradients, printed forms, conditions', () => {
  it.each(PROBLEMS.map((p) => [p.expr, p] as const))('%s', (_expr, p) => {
    const result = gradient({ expression: p.expr, wrt: p.wrt, dims: p.dims, seed: 5 });
    if (!result.ok) throw new Error(`${p.expr}: ${result.diagnostics[0]!.message}`);
    expect(result.value.check?.status, `${p.expr} (${p.ref}): ${result.value.check?.reason ?? ''}`).toBe('passed');
    const view = gradientViews(result.value)[0]!;
    if (p.printed !== undefined) expect(view.text, p.ref).toBe(p.printed);
    if (p.holds !== undefined) expect(result.value.notes.join('\n')).toContain(p.holds);
  });
});

describe('Hessians through matrix functions', () => {
  it.each([
    ['tr(expm(X))', 'X', 'X=3x3'],
    ["a'*expm(x*x')*a", 'x', 'x=3'],
    ['‖X‖₂', 'X', 'X=3x4'],
    ['λ_max(S)', 'S', 'S=3x3'],
    ["eigmax(A + x*x')", 'x', 'A=3x3'],
    ['‖X‖_*', 'X', 'X=3x3'],
    ['‖X‖_*', 'X', 'X=2x4'],
  ])('hess %s', (expression, wrt, dims) => {
    const result = derivative({ command: 'hess', expression, wrt, dims, seed: 5 });
    if (!result.ok) throw new Error(`${expression}: ${result.diagnostics[0]!.message}`);
    expect(result.value.check?.status, `${expression}: ${result.value.check?.reason ?? ''}`).toBe('passed');
  });

  it('a third derivative of expm is refused with MC3004, not dropped', () => {
    const result = derivative({ command: 'hess', expression: 'tr(expm_frechet(X, X))', wrt: 'X', dims: 'X=3x3' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics[0]!.message).toContain('no derivative of expm_frechet2 in its first argument');
  });
});

const SCRIPT = String.raw`
import json, sys
import numpy as np
import scipy.linalg
import torch
torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(0)
out = []
for c in json.load(sys.stdin):
    for lib in ("numpy", "torch"):
        if lib == "numpy":
            conv = lambda v: float(v) if isinstance(v, (int, float)) else np.array(v, dtype=float)
            back = lambda v: np.asarray(v, dtype=float)
            glb = {"np": np, "scipy": scipy}
        else:
            conv = lambda v: torch.tensor(v, dtype=torch.float64)
            back = lambda v: np.asarray(v.detach().numpy() if hasattr(v, "detach") else v, dtype=float)
            glb = {"torch": torch}
        env0 = {k: conv(v) for k, v in c["values"].items()}
        f = lambda env: float(back(eval(c["f"][lib], glb, env)).reshape(()))
        worst = 0.0
        for name, expr in c["gradients"][lib].items():
            g = back(eval(expr, glb, env0))
            x = np.asarray(c["values"][name], dtype=float)
            for _ in range(2):
                v = rng.standard_normal(np.shape(x))
                h = 1e-5 * (1 + np.max(np.abs(x)))
                fd = (f({**env0, name: conv((x + h * v).tolist())}) - f({**env0, name: conv((x - h * v).tolist())})) / (2 * h)
                sym = float(np.sum(g * v))
                worst = max(worst, abs(sym - fd) / max(abs(sym), abs(fd), 1e-8))
        out.append({"expr": c["expr"], "lib": lib, "error": worst})
print(json.dumps(out))
`;

it('the emitted NumPy and PyTorch gradients agree with finite differences of the emitted functions', () => {
  const cases = PROBLEMS.map((p) => {
    const result = gradient({ expression: p.expr, wrt: p.wrt, dims: p.dims, seed: 5 });
    if (!result.ok) throw new Error(`${p.expr}: ${result.diagnostics[0]!.message}`);
    const report = result.value;
    const { values: inputs } = drawInDomain(report, 9, [report.f, ...report.gradients.map((g) => g.gradient)]);
    const values: Record<string, number | number[][]> = {};
    for (const [name] of report.variables) values[pythonName(name)] = inputs.get(name)!.toArray();
    const torchOptions = { dimExpr: dimExpressions(report.variables), names: report.names };
    return {
      expr: p.expr,
      f: { numpy: functionText(report).numpy, torch: emitTorch(report.f, torchOptions) },
      gradients: {
        numpy: Object.fromEntries(gradientViews(report).map((v) => [pythonName(v.name), v.numpy])),
        torch: Object.fromEntries(report.gradients.map((g) => [pythonName(g.name), emitTorch(g.gradient, torchOptions)])),
      },
      values,
    };
  });
  const run = python3(['-c', SCRIPT], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(run.status, run.stderr).toBe(0);
  const results = JSON.parse(run.stdout) as { expr: string; lib: string; error: number }[];
  expect(results).toHaveLength(2 * PROBLEMS.length);
  for (const r of results) expect(r.error, `${r.lib}: ${r.expr}`).toBeLessThan(1e-5);
});
