import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { emitNumpy, pythonIdentifiers, pythonName } from '../../../src/emit/numpy.js';
import * as F from '../../../src/term/factory.js';
import type { Term } from '../../../src/term/term.js';

import { n, m, X, S, M, W, A, x, y, a, b, s, t, neg, T } from '../../helpers/terms.js';
import { python3Command } from '../../helpers/python.js';

const dimExpr = (d: string | number): string => (d === 'n' ? 'x.shape[0]' : d === 'm' ? 'y.shape[0]' : String(d));
const numpy = (term: Term, names?: ReadonlyMap<Term, string>): string => emitNumpy(term, { dimExpr, names });

/**
 * Inputs at n = 3, m = 4, seeded; X has a positive determinant (logdet). `np` counts its calls of
 * exp, so a test can check that a shared node is computed once.
 */
const PRELUDE = `
import json, sys
import numpy as real_np
rng = real_np.random.default_rng(7)
class CountingNumpy:
    def __init__(self):
        self.calls = {}
    def __getattr__(self, name):
        attr = getattr(real_np, name)
        if name in ('exp', 'tanh'):
            def counted(*args, **kwargs):
                self.calls[name] = self.calls.get(name, 0) + 1
                return attr(*args, **kwargs)
            return counted
        return attr
n, m = 3, 4
inputs = dict(
    X=rng.standard_normal((n, n)) + 4 * real_np.eye(n),
    S=rng.standard_normal((n, n)),
    M=rng.standard_normal((n, n)),
    W=rng.standard_normal((n, n)),
    A=rng.standard_normal((m, n)),
    x=rng.standard_normal((n, 1)),
    y=rng.standard_normal((m, 1)),
    a=rng.standard_normal((n, 1)),
    b=rng.standard_normal((n, 1)),
    s=float(rng.uniform(0.5, 2)),
    t=float(rng.uniform(0.5, 2)),
)
results = []
for case in json.load(sys.stdin):
    np = CountingNumpy()
    got = eval(case['got'], {'np': np, **inputs})
    want = eval(case['want'], {'np': real_np, **inputs})
    results.append(dict(
        type=type(got).__name__,
        shape=list(real_np.shape(got)),
        wantShape=list(real_np.shape(want)),
        error=float(real_np.max(real_np.abs(real_np.asarray(got) - real_np.asarray(want)))),
        calls=np.calls,
    ))
print(json.dumps(results))
`;

interface Result {
  type: string;
  shape: number[];
  wantShape: number[];
  error: number;
  calls: Record<string, number>;
}

function evaluate(cases: readonly { got: string; want: string }[]): Result[] {
  const out = execFileSync(...python3Command(['-c', PRELUDE]), { input: JSON.stringify(cases), encoding: 'utf8' });
  return JSON.parse(out) as Result[];
}

describe('emitNumpy: text', () => {
  test('the textbook examples', () => {
    expect(numpy(F.mul([F.hmul([F.fn('exp', F.mul([X, b])), a]), T(b)]))).toBe('(np.exp(X @ b) * a) @ b.T');
    expect(numpy(F.mul([F.num(2), T(A), F.add([F.mul([A, x]), neg(y)])]))).toBe('2 * (A.T @ (A @ x - y))');
    expect(numpy(T(F.inv(X)))).toBe('np.linalg.inv(X).T');
    expect(numpy(F.mul([F.num(3), T(F.mpow(X, 2))]))).toBe('3 * np.linalg.matrix_power(X, 2).T');
    expect(numpy(F.mul([F.add([S, T(S)]), x, F.epow(F.mul([T(x), x]), F.num(-1))]))).toBe('(S + S.T) @ x / (x.T @ x)');
  });

  test('a scalar root is a Python float', () => {
    expect(numpy(F.mul([T(x), S, x]))).toBe('float(np.asarray(x.T @ S @ x).reshape(()))');
  });

  test('constants take their sizes from dimExpr', () => {
    expect(numpy(F.add([X, F.mul([s, F.eye(n)])]))).toBe('X + s * np.eye(x.shape[0])');
    expect(numpy(F.mul([s, F.ones([m, 1])]))).toBe('s * np.ones((y.shape[0], 1))');
    expect(numpy(F.add([F.zero([n, 2]), F.mul([x, T(F.ones([2, 1]))])]))).toBe('np.zeros((x.shape[0], 2)) + x @ np.ones((2, 1)).T');
  });

  test('a row of blocks [A, B] (vstack(Aᵀ, Bᵀ)ᵀ as a term) is one np.block; [I, 0] too', () => {
    const row = (...blocks: Term[]) => T(F.op('vstack', blocks.map((b) => T(b))));
    expect(numpy(F.mul([row(X, S), F.op('vstack', [x, x])]))).toBe('np.block([[X, S]]) @ np.vstack([x, x])');
    expect(numpy(F.op('vstack', [row(X, S), row(M, W)]))).toBe('np.vstack([np.block([[X, S]]), np.block([[M, W]])])');
    const selection = T(F.op('vstack', [F.eye(n), F.zero([m, n])]));
    expect(numpy(F.mul([selection, F.op('vstack', [x, y])]))).toBe('np.block([[np.eye(x.shape[0]), np.zeros((x.shape[0], y.shape[0]))]]) @ np.vstack([x, y])');
    // A row of scalars stays a transposed stack: np.block of floats would be 1-D.
    expect(numpy(T(F.op('vstack', [s, t])))).toBe('np.vstack([s, t]).T');
  });

  test('a shared node is computed once, with := at its first occurrence', () => {
    const e = F.fn('exp', F.mul([X, b]));
    expect(numpy(F.add([F.hmul([e, a]), F.mul([S, e])]))).toBe('(_t1 := np.exp(X @ b)) * a + S @ _t1');
    expect(numpy(F.add([F.hmul([e, a]), F.mul([S, e])]), new Map([[e, 'E']]))).toBe('(_E := np.exp(X @ b)) * a + S @ _E');
  });

  test('input names', () => {
    expect(pythonName('x')).toBe('x');
    expect(pythonName('α')).toBe('α');
    expect(pythonName('W₁')).toBe('W1');
    expect(pythonName('lambda')).toBe('_v_lambda');
    expect(pythonName('np')).toBe('_v_np');
    expect(pythonName('jnp')).toBe('_v_jnp');
  });

  test('names that fold to one Python identifier get distinct ones, in order', () => {
    expect([...pythonIdentifiers(['ſ', 'x', 's', 'W₁', 'W1'])]).toEqual([
      ['ſ', 's'],
      ['x', 'x'],
      ['s', 's_'],
      ['W₁', 'W1'],
      ['W1', 'W1_'],
    ]);
  });
});

describe('emitNumpy: evaluated by NumPy', () => {
  const Y = F.fn('sigmoid', F.mul([W, X]));
  const e = F.fn('exp', F.mul([X, b]));
  const u = F.hmul([e, a]); // uses e; used twice below, so its definition holds e's
  const cases: { name: string; term: Term; want: string; names?: ReadonlyMap<Term, string> }[] = [
    { name: '(exp(Xb) ⊙ a)bᵀ', term: F.mul([F.hmul([e, a]), T(b)]), want: '(np.exp(X @ b) * a) @ b.T' },
    { name: '2Aᵀ(Ax − y)', term: F.mul([F.num(2), T(A), F.add([F.mul([A, x]), neg(y)])]), want: '2 * A.T @ (A @ x - y)' },
    {
      name: '(S + Sᵀ)x / (xᵀx)',
      term: F.mul([F.add([S, T(S)]), x, F.epow(F.mul([T(x), x]), F.num(-1))]),
      want: '(S + S.T) @ x / (x.T @ x).item()',
    },
    { name: '2Sx / ‖x‖', term: F.mul([F.num(2), S, x, F.epow(F.reduce('norm2', x), F.num(-1))]), want: '2 * S @ x / np.linalg.norm(x)' },
    { name: 'X⁻ᵀ', term: T(F.inv(X)), want: 'np.linalg.inv(X).T' },
    { name: '3(X²)ᵀ', term: F.mul([F.num(3), T(F.mpow(X, 2))]), want: '3 * (X @ X).T' },
    { name: 'xᵀSx', term: F.mul([T(x), S, x]), want: '(x.T @ S @ x).item()' },
    {
      name: 'σ(WX) shared, with 1 − Y',
      term: F.mul([T(W), F.hmul([F.mul([F.add([M, T(M)]), Y]), Y, F.add([F.ones([n, n]), neg(Y)])])]),
      want: 'W.T @ (((M + M.T) @ (np.exp(-np.logaddexp(0, -W @ X)))) * (np.exp(-np.logaddexp(0, -W @ X))) * (1 - np.exp(-np.logaddexp(0, -W @ X))))',
    },
    {
      name: 'user-named Y',
      term: F.mul([T(W), F.hmul([F.mul([F.add([M, T(M)]), Y]), Y, F.add([F.ones([n, n]), neg(Y)])])]),
      names: new Map([[Y, 'Y']]),
      want: 'W.T @ (((M + M.T) @ (np.exp(-np.logaddexp(0, -W @ X)))) * (np.exp(-np.logaddexp(0, -W @ X))) * (1 - np.exp(-np.logaddexp(0, -W @ X))))',
    },
    {
      name: 'nested sharing: u = exp(Xb) ⊙ a defined inside, exp(Xb) reused outside',
      term: F.add([F.mul([S, u]), F.mul([T(S), u]), F.hdiv(e, F.add([u, F.ones([n, 1])]))]),
      want: 'S @ (np.exp(X @ b) * a) + S.T @ (np.exp(X @ b) * a) + np.exp(X @ b) / (np.exp(X @ b) * a + 1)',
    },
    {
      name: 'logdet, det, trace, sum, norms, inner',
      term: F.add([
        F.reduce('logdet', X),
        F.mul([F.num(-2), F.reduce('det', X)]),
        F.reduce('trace', F.mul([S, X])),
        F.reduce('sum', M),
        F.reduce('norm2', X),
        F.reduce('norm2', x),
        F.reduce('norm1', a),
        F.inner(S, M),
      ]),
      want:
        'np.log(np.linalg.det(X)) - 2 * np.linalg.det(X) + np.trace(S @ X) + M.sum() + np.sqrt((X ** 2).sum())' +
        ' + np.sqrt((x ** 2).sum()) + np.abs(a).sum() + (S * M).sum()',
    },
    {
      name: 'element-wise functions',
      term: F.add([
        F.fn('relu', x),
        F.fn('softplus', a),
        F.fn('step', b),
        F.fn('tanh', x),
        F.fn('log', F.fn('abs', a)),
        F.fn('sqrt', F.hmul([x, x])),
        F.fn('sign', b),
        F.hdiv(F.fn('sin', x), F.fn('cos', a)),
      ]),
      want:
        'np.where(x > 0, x, 0) + np.log(1 + np.exp(a)) + (b > 0) + np.tanh(x) + np.log(np.abs(a)) + np.abs(x)' +
        ' + np.sign(b) + np.sin(x) / np.cos(a)',
    },
    {
      name: 'powers, diag, scalars',
      term: F.add([
        F.epow(x, F.num(2)),
        F.mul([s, F.epow(F.fn('exp', a), t)]),
        F.mul([F.num(-1), F.epow(s, F.num(-2)), F.diag(X)]),
        F.mul([F.diagm(a), b]),
        F.mul([F.inv(F.epow(s, F.num(2))), x]),
        F.mul([F.num(0.5), F.ones([n, 1])]),
      ]),
      want: 'x ** 2 + s * np.exp(a) ** t - np.diag(X).reshape(-1, 1) / s ** 2 + a * b + x / s ** 2 + 0.5',
    },
    {
      name: 'scalar transpose, inverse, trace and det pass through',
      term: F.mul([T(F.mul([T(x), a])), F.inv(F.reduce('trace', S)), F.reduce('det', F.mul([T(b), x])), x]),
      want: '(x.T @ a).item() / np.trace(S) * (b.T @ x).item() * x',
    },
  ];

  const results = evaluate(cases.map((c) => ({ got: numpy(c.term, c.names), want: c.want })));

  test.each(cases.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const r = results[i]!;
    expect(r.shape).toEqual(r.wantShape);
    expect(r.error).toBeLessThan(1e-9);
    if (r.wantShape.length === 0) expect(r.type).toBe('float');
  });

  test('each shared node is evaluated once', () => {
    const sigmoid = results[cases.findIndex((c) => c.name.startsWith('σ(WX)'))]!;
    expect(sigmoid.calls).toEqual({ exp: 1 });
    const nested = cases.findIndex((c) => c.name.startsWith('nested'));
    expect(results[nested]!.calls).toEqual({ exp: 1 });
    const text = numpy(cases[nested]!.term);
    expect(text.match(/:=/g)).toHaveLength(2);
    expect(text).toBe('S @ (_t2 := (_t1 := np.exp(X @ b)) * a) + S.T @ _t2 + _t1 / (_t2 + 1)');
  });
});
