import { describe, expect, it } from 'vitest';
import { add, fn, hmul, inner, inv, mul, num, ones, reduce, transpose, variable } from '../../../src/term/factory.js';
import type { Shape, Term } from '../../../src/term/term.js';
import { checkGradient, type CheckRequest } from '../../../src/verify/finite-difference.js';
import { chooseDimSizes, type Property } from '../../../src/verify/sample.js';

function request(
  f: Term,
  gradients: [string, Term][],
  variables: [string, Shape][],
  extra: Partial<CheckRequest> = {},
): CheckRequest {
  const dims = variables.flatMap(([, shape]) => shape.filter((d): d is string => typeof d === 'string'));
  return {
    f,
    gradients: new Map(gradients),
    variables: new Map(variables),
    dimSizes: chooseDimSizes(dims),
    seed: 1,
    ...extra,
  };
}

// f = aᵀ exp(Xb)
const a = variable('a', ['n', 1]);
const X = variable('X', ['n', 'm']);
const b = variable('b', ['m', 1]);
const expXb = fn('exp', mul([X, b]));
const f1 = mul([transpose(a), expXb]);
const vars1: [string, Shape][] = [
  ['a', ['n', 1]],
  ['X', ['n', 'm']],
  ['b', ['m', 1]],
];
const gradX = mul([hmul([expXb, a]), transpose(b)]); // (exp(Xb) ⊙ a) bᵀ

describe('checkGradient', () => {
  it('passes a correct gradient, to about 1e-9', () => {
    const report = checkGradient(
      request(
        f1,
        [
          ['X', gradX],
          ['a', expXb],
          ['b', mul([transpose(X), hmul([expXb, a])])],
        ],
        vars1,
      ),
    );
    expect(report.status).toBe('passed');
    expect(report.relativeError).toBeLessThan(1e-9);
    expect(report.comparisons).toBe(3 * 4 + 12 + 3 + 4); // 4 random each, then every entry
    expect(report.entrywise).toBe(true);
    expect(report.attempts).toBe(1);
    expect(report.sizes).toEqual({ m: 4, n: 3 });
    expect(Object.keys(report.sizes)).toEqual(['m', 'n']);
    expect(report.reason).toBeUndefined();
  });

  it('fails a gradient that is off by 1e-3 in every entry, stating both numbers', () => {
    const wrong = add([gradX, mul([num(1e-3), ones(['n', 'm'])])]);
    const report = checkGradient(request(f1, [['X', wrong]], vars1));
    expect(report.status).toBe('failed');
    expect(report.relativeError).toBeGreaterThan(1e-5);
    expect(report.worst?.variable).toBe('X');
    const { symbolic, numeric } = report.worst!;
    expect(Math.abs(symbolic - numeric)).toBeGreaterThan(1e-5);
    expect(report.reason).toMatch(/the gradient gives .* but finite differences give/);
  });

  it('fails a transposed gradient and a gradient of the wrong shape', () => {
    const S = variable('S', ['n', 'n']);
    const A = variable('A', ['n', 'n']);
    const f = reduce('trace', mul([A, S]));
    const vars: [string, Shape][] = [
      ['A', ['n', 'n']],
      ['S', ['n', 'n']],
    ];
    expect(checkGradient(request(f, [['S', transpose(A)]], vars)).status).toBe('passed');
    expect(checkGradient(request(f, [['S', A]], vars)).status).toBe('failed');
    const shape = checkGradient(request(f1, [['X', transpose(gradX)]], vars1));
    expect(shape.status).toBe('failed');
    expect(shape.reason).toMatch(/is 4×3 but X is 3×4/);
  });

  it('passes logdet(X) with X⁻ᵀ, switching strategies until det > 0, and fails X⁻¹', () => {
    const Xs = variable('X', ['n', 'n']);
    const vars: [string, Shape][] = [['X', ['n', 'n']]];
    let switched = 0;
    for (let seed = 0; seed < 10; seed++) {
      const report = checkGradient(request(reduce('logdet', Xs), [['X', inv(transpose(Xs))]], vars, { seed }));
      expect(report.status).toBe('passed');
      if (report.attempts > 1) switched++;
      expect(checkGradient(request(reduce('logdet', Xs), [['X', inv(Xs)]], vars, { seed })).status).toBe('failed');
    }
    expect(switched).toBeGreaterThan(0);
  });

  it('passes sum(abs(x)) with sign(x) and fails it with step(x) or 2·sign(x)', () => {
    const x = variable('x', ['n', 1]);
    const f = reduce('sum', fn('abs', x));
    const vars: [string, Shape][] = [['x', ['n', 1]]];
    for (let seed = 0; seed < 10; seed++) {
      expect(checkGradient(request(f, [['x', fn('sign', x)]], vars, { seed })).status).toBe('passed');
      expect(checkGradient(request(f, [['x', mul([num(2), fn('sign', x)])]], vars, { seed })).status).toBe('failed');
    }
    // step(x) agrees with sign(x) where x > 0, so it fails exactly when some entry is negative.
    const x0 = variable('x', [2, 1]);
    const stepped: string[] = [];
    for (let seed = 0; seed < 6; seed++) {
      const req = request(reduce('sum', fn('abs', x0)), [['x', fn('step', x0)]], [['x', [2, 1]]], { seed });
      stepped.push(checkGradient(req).status);
    }
    expect(stepped).toContain('failed');
    expect(stepped).not.toContain('inconclusive');
  });

  it('checks a symmetric variable along symmetric directions: f = xᵀSx, ∂f/∂S = xxᵀ', () => {
    const x = variable('x', ['n', 1]);
    const S = variable('S', ['n', 'n']);
    const f = mul([transpose(x), S, x]);
    const vars: [string, Shape][] = [
      ['x', ['n', 1]],
      ['S', ['n', 'n']],
    ];
    const assumptions = new Map<string, ReadonlySet<Property>>([['S', new Set(['symmetric'])]]);
    const gradients: [string, Term][] = [
      ['S', mul([x, transpose(x)])],
      ['x', mul([num(2), S, x])], // 2Sx holds because S is symmetric
    ];
    const report = checkGradient(request(f, gradients, vars, { assumptions }));
    expect(report.status).toBe('passed');
    expect(report.comparisons).toBe(4 + 6 + 4 + 3); // S: 6 symmetric unit pairs for n = 3
    // Only the symmetric part of the claimed gradient is seen: xxᵀ plus an antisymmetric term passes too.
    const antisymmetric = add([mul([x, transpose(ones(['n', 1]))]), mul([num(-1), ones(['n', 1]), transpose(x)])]);
    expect(checkGradient(request(f, [['S', add([mul([x, transpose(x)]), antisymmetric])]], vars, { assumptions })).status).toBe('passed');
    expect(checkGradient(request(f, [['S', mul([num(2), x, transpose(x)])]], vars, { assumptions })).status).toBe('failed');
    // Without the assumption 2Sx is wrong for x: S is then not symmetric.
    expect(checkGradient(request(f, [['x', mul([num(2), S, x])]], vars)).status).toBe('failed');
  });

  it('keeps SPD and positive variables inside their domain while stepping', () => {
    const P = variable('P', ['n', 'n']);
    const q = variable('q', ['n', 1]);
    const f = add([reduce('logdet', P), reduce('sum', fn('log', q))]);
    const vars: [string, Shape][] = [
      ['P', ['n', 'n']],
      ['q', ['n', 1]],
    ];
    const assumptions = new Map<string, ReadonlySet<Property>>([
      ['P', new Set(['spd'])],
      ['q', new Set(['positive'])],
    ]);
    const report = checkGradient(
      request(f, [['P', inv(P)], ['q', fn('exp', mul([num(-1), fn('log', q)]))]], vars, { assumptions }),
    );
    expect(report.status).toBe('passed');
    expect(report.attempts).toBe(1);
  });

  it('is inconclusive when f is undefined at every draw', () => {
    const x = variable('x', ['n', 1]);
    const f = reduce('sum', fn('log', mul([num(-1), fn('exp', x)])));
    const report = checkGradient(request(f, [['x', ones(['n', 1])]], [['x', ['n', 1]]]));
    expect(report.status).toBe('inconclusive');
    expect(report.comparisons).toBe(0);
    expect(report.attempts).toBe(8);
    expect(Number.isNaN(report.relativeError)).toBe(true);
    expect(report.reason).toMatch(/^log of a non-positive value at every draw/);
  });

  it('is inconclusive, never failed or passed, when steps cross kinks faster than they can shrink', () => {
    // |sin(10⁵ x)| has a kink every 3e-5: every usable step crosses some.
    const x = variable('x', ['n', 1]);
    const fast = mul([num(1e5), x]);
    const f = reduce('sum', fn('abs', fn('sin', fast)));
    const g = hmul([mul([num(1e5), fn('cos', fast)]), fn('sign', fn('sin', fast))]);
    for (let seed = 0; seed < 5; seed++) {
      const report = checkGradient(request(f, [['x', g]], [['x', ['n', 1]]], { seed }));
      expect(report.status).toBe('inconclusive');
      expect(report.reason).toMatch(/kink|do not settle/);
    }
  });

  it('never passes without comparisons', () => {
    const x = variable('x', ['n', 1]);
    const report = checkGradient(request(reduce('sum', x), [], [['x', ['n', 1]]]));
    expect(report.status).toBe('inconclusive');
    expect(report.comparisons).toBe(0);
  });

  it('is deterministic for a seed', () => {
    const make = () => checkGradient(request(f1, [['X', gradX]], vars1, { seed: 99 }));
    expect(make()).toEqual(make());
  });

  it('checks f = tr(AX) for 100×100 matrices quickly (time reported)', () => {
    const A = variable('A', ['N', 'N']);
    const Xn = variable('X', ['N', 'N']);
    const req: CheckRequest = {
      f: reduce('trace', mul([A, Xn])),
      gradients: new Map([['X', transpose(A)]]),
      variables: new Map<string, Shape>([
        ['A', ['N', 'N']],
        ['X', ['N', 'N']],
      ]),
      dimSizes: new Map([['N', 100]]),
      seed: 7,
    };
    const start = performance.now();
    const report = checkGradient(req);
    const elapsed = performance.now() - start;
    console.log(`100×100 check of tr(AX): ${elapsed.toFixed(1)} ms, relative error ${report.relativeError.toExponential(2)}`);
    expect(report.status).toBe('passed');
    expect(report.entrywise).toBe(false);
    expect(report.comparisons).toBe(4);
  });

  it('checks an inner product with a scalar factor', () => {
    const x = variable('x', ['n', 1]);
    const c = variable('c', [1, 1]);
    const f = mul([c, inner(x, x)]);
    const report = checkGradient(
      request(f, [['x', mul([num(2), c, x])], ['c', inner(x, x)]], [['x', ['n', 1]], ['c', [1, 1]]]),
    );
    expect(report.status).toBe('passed');
  });
});

describe('checkGradient when no draw is in the domain at the first sizes', () => {
  // logdet(XᵀX), X of n×m: at the first sizes (n = 3 < m = 4) XᵀX is singular at every draw.
  const Xnm = variable('X', ['n', 'm']);
  const gram = mul([transpose(Xnm), Xnm]);
  const f = reduce('logdet', gram);
  const vars: [string, Shape][] = [['X', ['n', 'm']]];

  it('retries with the sizes handed out in reverse and reports the sizes it used', () => {
    const report = checkGradient(request(f, [['X', mul([num(2), Xnm, inv(gram)])]], vars));
    expect(report.status).toBe('passed');
    expect(report.sizes).toEqual({ m: 3, n: 4 });
  });

  it('still fails a wrong gradient at the reversed sizes', () => {
    const report = checkGradient(request(f, [['X', mul([Xnm, inv(gram)])]], vars));
    expect(report.status).toBe('failed');
  });
});
