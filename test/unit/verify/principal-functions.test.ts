import { describe, expect, it } from 'vitest';
import { Dense } from '../../../src/verify/dense.js';
import { logm, logmFrechet, principalIssue, sqrtm, sqrtmFrechet } from '../../../src/verify/principal-functions.js';
import { createRng } from '../../../src/verify/random.js';
import { python3 } from '../../helpers/python.js';

/**
 * The evaluator's principal square root and logarithm against scipy (one python3 for every case):
 * SPD matrices, near-identity and shifted non-symmetric ones (complex eigenvalue pairs included), from
 * 1×1 to 6×6 and at norms from 10⁻² to 50; the Fréchet derivatives against scipy's solve_sylvester
 * (sqrtm) and the block form of scipy's logm. Matrices outside the domain are reported, not returned.
 */

function draw(n: number, seed: number, kind: 'spd' | 'shifted' | 'rotation'): Dense {
  const rng = createRng(seed);
  const b = new Dense(n, n);
  for (let i = 0; i < b.data.length; i++) b.data[i] = rng.normal();
  const out = new Dense(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let v = 0;
      if (kind === 'spd') for (let k = 0; k < n; k++) v += b.get(i, k) * b.get(j, k);
      else v = (kind === 'shifted' ? 0.4 : 0.25) * b.get(i, j);
      out.set(i, j, v + (i === j ? (kind === 'spd' ? 0.05 : kind === 'shifted' ? 1.5 : 0.8) : 0));
    }
  }
  if (kind === 'rotation' && n >= 2) {
    // A strong rotation block: eigenvalues near 0.8 ± 2i, complex, off the real axis.
    out.set(0, 1, out.get(0, 1) - 2);
    out.set(1, 0, out.get(1, 0) + 2);
  }
  return out;
}

const cases: { a: Dense; e: Dense }[] = [];
[1, 2, 3, 4, 6].forEach((n, i) =>
  (['spd', 'shifted', 'rotation'] as const).forEach((kind, j) => {
    const e = draw(n, 900 + 10 * i + j, 'shifted');
    cases.push({ a: draw(n, 100 * i + j, kind), e });
  }),
);
cases.push({ a: Dense.from([[50, 1], [0, 0.02]]), e: Dense.from([[1, 2], [3, 4]]) });
cases.push({ a: Dense.from([[1e-2]]), e: Dense.from([[1]]) });

const SCRIPT = String.raw`
import json, sys
import numpy as np
import scipy.linalg as sl
out = []
for c in json.loads(sys.stdin.read()):
    A, E = np.array(c["a"], dtype=float), np.array(c["e"], dtype=float)
    n = A.shape[0]
    S = np.real(sl.sqrtm(A))
    L = np.real(sl.logm(A))
    big = np.block([[A, E], [np.zeros_like(A), A]])
    out.append({"sqrtm": S.tolist(), "logm": L.tolist(), "sqrtm_frechet": sl.solve_sylvester(S, S, E).tolist(),
                "logm_frechet": np.real(sl.logm(big))[:n, n:].tolist()})
print(json.dumps(out))
`;

function relative(got: Dense, want: number[][]): number {
  const w = Dense.from(want);
  let num = 0;
  let den = 0;
  for (let i = 0; i < w.data.length; i++) {
    num = Math.max(num, Math.abs(got.data[i]! - w.data[i]!));
    den = Math.max(den, Math.abs(w.data[i]!));
  }
  return num / Math.max(den, 1);
}

describe('principal square root and logarithm against scipy', () => {
  const input = cases.map(({ a, e }) => ({ a: a.toArray(), e: e.toArray() }));
  const run = python3(['-c', SCRIPT], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(run.stderr);
  const want = JSON.parse(run.stdout) as Record<'sqrtm' | 'logm' | 'sqrtm_frechet' | 'logm_frechet', number[][]>[];

  it.each(cases.map((c, i) => [i, c] as const))('case %i: sqrtm, logm and their Fréchet derivatives', (i, { a, e }) => {
    expect(principalIssue(a)).toBeUndefined();
    expect(relative(sqrtm(a), want[i]!.sqrtm)).toBeLessThan(1e-10);
    expect(relative(logm(a), want[i]!.logm)).toBeLessThan(1e-9);
    expect(relative(sqrtmFrechet(a, e), want[i]!.sqrtm_frechet)).toBeLessThan(1e-8);
    expect(relative(logmFrechet(a, e), want[i]!.logm_frechet)).toBeLessThan(1e-7);
  });

  it('a negative eigenvalue, a singular matrix and an eigenvalue pair near the negative axis are reported', () => {
    expect(principalIssue(Dense.from([[-1, 0], [0, 2]]))).toBeDefined();
    expect(principalIssue(Dense.from([[1, 1], [1, 1]]))).toBeDefined();
    const nearAxis = Dense.from([[-1, 1e-4], [-1e-4, -1]]); // eigenvalues −1 ± 10⁻⁴i
    expect(principalIssue(nearAxis)).toBeDefined();
    expect(principalIssue(Dense.from([[-1, 1], [-1, -1]]))).toBeUndefined(); // −1 ± i: inside the domain
  });
});
