import { expect, test } from 'vitest';
import { gradientViews } from '../../src/emit/derivative.js';
import { functionText } from '../../src/emit/command-json.js';
import { pythonName } from '../../src/emit/numpy.js';
import { gradient } from '../../src/pipeline.js';
import { drawInDomain } from '../helpers/draws.js';
import { python3 } from '../helpers/python.js';

/**
 * Textbook problems in ASCII with --dims, checked the way an outside user would check them: the
 * emitted `function.numpy` and `gradient.numpy` are run by NumPy, and the gradient is compared
 * with central differences of the NumPy function — independent of matcalc's own evaluator.
 */
const PROBLEMS: { expr: string; wrt: string; dims: string; assume?: string }[] = [
  { expr: "x'*A*x", wrt: 'x', dims: 'x=4,A=4x4' },
  { expr: "0.5*x'*A*x - b'*x", wrt: 'x', dims: 'x=3,A=3x3' },
  { expr: "exp(x'*A*x)", wrt: 'x', dims: 'x=3,A=3x3' },
  { expr: "log(x'*A*x)", wrt: 'x', dims: 'x=3', assume: 'A:spd' },
  { expr: "a'*X*b", wrt: 'X', dims: 'X=3x4' },
  { expr: "a'*X'*X*b", wrt: 'X', dims: 'X=3x4' },
  { expr: "a'*inv(X)*b", wrt: 'X', dims: 'X=3x3' },
  { expr: 'tr(A*X*B)', wrt: 'X', dims: 'A=2x3,X=3x4' },
  { expr: "tr(X'*A*X)", wrt: 'X', dims: 'X=3x2' },
  { expr: "tr(A*X*B*X')", wrt: 'X', dims: 'X=3x4' },
  { expr: 'tr(X^3)', wrt: 'X', dims: 'X=3x3' },
  { expr: 'tr(inv(X)*A)', wrt: 'X', dims: 'X=3x3' },
  { expr: 'det(X)', wrt: 'X', dims: 'X=3x3' },
  { expr: 'log(det(X))', wrt: 'X', dims: 'X=3x3' },
  { expr: "log(det(X'*X))", wrt: 'X', dims: 'X=4x3' },
  { expr: 'det(X)*tr(X)', wrt: 'X', dims: 'X=3x3' },
  { expr: 'exp(tr(X))', wrt: 'X', dims: 'X=3x3' },
  { expr: 'tr(exp(X))', wrt: 'X', dims: 'X=3x3' },
  { expr: 'tr(A.*X)', wrt: 'X', dims: 'X=3x3' },
  { expr: 'sum(exp(X))', wrt: 'X', dims: 'X=2x3' },
  { expr: 'log(sum(exp(x)))', wrt: 'x', dims: 'x=5' },
  { expr: 'norm2(x)', wrt: 'x', dims: 'x=4' },
  { expr: 'norm2(X)^2', wrt: 'X', dims: 'X=3x2' },
  { expr: 'norm1(A*x-y)', wrt: 'x', dims: 'A=5x3' },
  { expr: 'norm2(A*x-y)^2', wrt: 'x', dims: 'A=5x3' },
  { expr: 'norm2(A*X*B-C)^2', wrt: 'X', dims: 'A=4x3,X=3x2,B=2x5' },
  { expr: 'norm2(X*w-y)^2 + lambda*norm2(w)^2', wrt: 'w', dims: 'X=6x3,lambda=1' },
  { expr: "sqrt(x'*x)", wrt: 'x', dims: 'x=3' },
  { expr: "(a'*x)^2", wrt: 'x', dims: 'x=3' },
  { expr: "x'*A*x/(x'*x)", wrt: 'x', dims: 'x=4', assume: 'A:symmetric' },
  { expr: "a'*diag(x)*b", wrt: 'x', dims: 'x=3' },
  { expr: "diag(X)'*a", wrt: 'X', dims: 'X=3x3' },
  { expr: 'sum(log(exp(-y.*(X*w)) + vector(1)))', wrt: 'w', dims: 'X=5x3' },
  { expr: "-y'*log(sigmoid(X*w)) - (vector(1)-y)'*log(vector(1)-sigmoid(X*w))", wrt: 'w', dims: 'X=6x3' },
  { expr: 'sum((W2*tanh(W1*x+b1)+b2-y).^2)', wrt: 'W1,b1,W2,b2', dims: 'W1=4x3,W2=2x4' },
  { expr: 'sum(relu(W*x))', wrt: 'W', dims: 'W=3x4' },
  { expr: 'sum(softplus(W*x))', wrt: 'W', dims: 'W=3x4' },
  { expr: "logdet(S) + (x-m)'*inv(S)*(x-m)", wrt: 'S,m', dims: 'S=3x3', assume: 'S:spd' },
  { expr: "x'*A*y", wrt: 'A', dims: 'A=3x4' },
  { expr: 'sum(X*Y)', wrt: 'X', dims: 'X=2x3,Y=3x4' },
  { expr: "sum(sin(X).*cos(X))", wrt: 'X', dims: 'X=2x2' },
  { expr: 'sum(X.^3)', wrt: 'X', dims: 'X=2x3' },
  { expr: 'sum(sqrt(x.*x + vector(1)))', wrt: 'x', dims: 'x=3' },
  { expr: 'a^b', wrt: 'a,b', dims: 'a=1,b=1', assume: 'a:positive' },
  { expr: "c*x'*A*x", wrt: 'c,x', dims: 'x=3' },
  { expr: "(y.*v)'*x", wrt: 'y,v,x', dims: 'x=3' },
  { expr: "tr(A*X'*B*X*C)", wrt: 'X', dims: 'A=2x3,X=4x3,B=4x4' },
  { expr: 'log(det(inv(X)))', wrt: 'X', dims: 'X=3x3' },
  { expr: "sum(tanh(W*X))", wrt: 'W', dims: 'W=3x4,X=4x2' },
  { expr: "x'*(A+A')*x", wrt: 'A', dims: 'x=3' },
];

test('textbook problems: NumPy gradients agree with NumPy finite differences', () => {
  const cases: unknown[] = [];
  for (const p of PROBLEMS) {
    const result = gradient({ expression: p.expr, wrt: p.wrt, dims: p.dims, assume: p.assume, seed: 3 });
    if (!result.ok) throw new Error(`${p.expr}: ${result.diagnostics[0]!.message}`);
    const report = result.value;
    expect(report.check?.status, `${p.expr}: ${report.check?.reason ?? ''}`).toBe('passed');
    const variables = report.variables;
    const { values: inputs } = drawInDomain(report, 9, [report.f, ...report.gradients.map((g) => g.gradient)]);
    const values: Record<string, number | number[][]> = {};
    for (const [name, shape] of variables) values[pythonName(name)] = shape[0] === 1 && shape[1] === 1 ? inputs.get(name)!.data[0]! : inputs.get(name)!.toArray();
    const symmetric = [...report.declarations.assumptions].filter(([, s]) => s.has('symmetric') || s.has('spd')).map(([n]) => pythonName(n));
    cases.push({
      expr: p.expr,
      f: functionText(report).numpy,
      gradients: Object.fromEntries(gradientViews(report).map((v) => [pythonName(v.name), v.numpy])),
      values,
      symmetric,
    });
  }
  const script = `
import json, sys
import numpy as np
import scipy.special
rng = np.random.default_rng(0)
out = []
for c in json.load(sys.stdin):
    env0 = {k: (float(v) if isinstance(v, (int, float)) else np.array(v, dtype=float)) for k, v in c["values"].items()}
    def f(env):
        return float(eval(c["f"], {"np": np, "scipy": scipy, **env}))
    worst = 0.0
    for name, expr in c["gradients"].items():
        g = np.asarray(eval(expr, {"np": np, "scipy": scipy, **env0}), dtype=float)
        x = env0[name]
        for _ in range(3):
            v = rng.standard_normal(np.shape(x)) if np.ndim(x) else float(rng.standard_normal())
            if name in c["symmetric"]:
                v = (v + v.T) / 2
            h = 1e-5 * (1 + np.max(np.abs(x)))
            fd = (f({**env0, name: x + h * v}) - f({**env0, name: x - h * v})) / (2 * h)
            sym = float(np.sum(g * v))
            worst = max(worst, abs(sym - fd) / max(abs(sym), abs(fd), 1e-8))
    out.append({"expr": c["expr"], "error": worst})
print(json.dumps(out))
`;
  const run = python3(['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  for (const r of JSON.parse(run.stdout) as { expr: string; error: number }[]) {
    expect(r.error, r.expr).toBeLessThan(1e-5);
  }
});
