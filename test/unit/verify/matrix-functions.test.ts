import { describe, expect, it } from 'vitest';
import { Dense } from '../../../src/verify/dense.js';
import { expm, expmFrechet, expmFrechet2 } from '../../../src/verify/matrix-functions.js';
import * as spectral from '../../../src/verify/spectral.js';
import { createRng } from '../../../src/verify/random.js';
import { python3 } from '../../helpers/python.js';

/**
 * The evaluator's matrix functions against scipy (one python3 for every case): expm by scaling and
 * squaring at norms from 10⁻³ (no squaring) to 40 (several), L(A, E) against scipy.linalg.expm_frechet,
 * and L⁽²⁾(A; E, F) against a central difference of scipy's L(A + sF, E).
 */

interface Case {
  readonly a: number[][];
  readonly e: number[][];
  readonly f: number[][];
}

function random(n: number, scale: number, seed: number): Dense {
  const rng = createRng(seed);
  const d = new Dense(n, n);
  for (let i = 0; i < d.data.length; i++) d.data[i] = scale * rng.normal();
  return d;
}

const SIZES = [1, 2, 3, 5, 8];
const SCALES = [1e-3, 0.3, 1, 4, 15];
const cases: { a: Dense; e: Dense; f: Dense }[] = [];
SIZES.forEach((n, i) => SCALES.forEach((s, j) => cases.push({ a: random(n, s, 100 * i + j), e: random(n, 1, 7 + i + j), f: random(n, 1, 31 + i * j) })));
// A nilpotent and a rotation generator: expm in closed form.
cases.push({ a: Dense.from([[0, 1], [0, 0]]), e: Dense.from([[1, 0], [0, 0]]), f: Dense.from([[0, 0], [1, 0]]) });
cases.push({ a: Dense.from([[0, -2], [2, 0]]), e: Dense.from([[0, 1], [1, 0]]), f: Dense.from([[1, 0], [0, -1]]) });

const SCRIPT = String.raw`
import json, sys
import numpy as np
import scipy.linalg
out = []
for c in json.loads(sys.stdin.read()):
    A, E, F = (np.array(c[k], dtype=float) for k in "aef")
    h = 1e-4
    L2 = (scipy.linalg.expm_frechet(A + h * F, E, compute_expm=False) - scipy.linalg.expm_frechet(A - h * F, E, compute_expm=False)) / (2 * h)
    out.append({"expm": scipy.linalg.expm(A).tolist(), "frechet": scipy.linalg.expm_frechet(A, E, compute_expm=False).tolist(), "frechet2": L2.tolist()})
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
  return num / Math.max(den, 1); // relative, or absolute where the value is near 0
}

describe('matrix functions against scipy', () => {
  const input: Case[] = cases.map(({ a, e, f }) => ({ a: a.toArray(), e: e.toArray(), f: f.toArray() }));
  const run = python3(['-c', SCRIPT], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(run.stderr);
  const want = JSON.parse(run.stdout) as { expm: number[][]; frechet: number[][]; frechet2: number[][] }[];

  it.each(cases.map((c, i) => [i, c] as const))('case %i: expm, L and L⁽²⁾', (i, { a, e, f }) => {
    expect(relative(expm(a), want[i]!.expm)).toBeLessThan(1e-12);
    expect(relative(expmFrechet(a, e), want[i]!.frechet)).toBeLessThan(1e-10);
    // The reference is a central difference (error ~h²‖L⁽⁴⁾‖): a looser tolerance.
    expect(relative(expmFrechet2(a, e, f), want[i]!.frechet2)).toBeLessThan(1e-5);
  });

  it('expm of a nilpotent and of a rotation generator in closed form', () => {
    const j = expm(Dense.from([[0, 1], [0, 0]]));
    [[1, 1], [0, 1]].forEach((row, r) => row.forEach((v, c) => expect(j.get(r, c)).toBeCloseTo(v, 14)));
    const r = expm(Dense.from([[0, -2], [2, 0]]));
    expect(r.get(0, 0)).toBeCloseTo(Math.cos(2), 14);
    expect(r.get(1, 0)).toBeCloseTo(Math.sin(2), 14);
  });

  it('a non-finite argument gives NaN, not a loop', () => {
    expect(Number.isNaN(expm(Dense.from([[Number.POSITIVE_INFINITY]])).data[0])).toBe(true);
  });
});

const SPECTRAL_SCRIPT = String.raw`
import json, sys
import numpy as np
out = []
for x in json.loads(sys.stdin.read()):
    X = np.array(x, dtype=float)
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    S = (X[:, :X.shape[0]] + X[:, :X.shape[0]].T) / 2 if X.shape[1] >= X.shape[0] else (X[:X.shape[1]] + X[:X.shape[1]].T) / 2
    w, V = np.linalg.eigh(S)
    out.append({"s": s.tolist(), "uv": (U[:, :1] @ Vt[:1]).tolist(), "polar": (U @ Vt).tolist(), "nuc": float(np.linalg.norm(X, "nuc")),
                "spec": float(np.linalg.norm(X, 2)), "S": S.tolist(), "lmax": float(w[-1]), "uu": (V[:, -1:] @ V[:, -1:].T).tolist()})
print(json.dumps(out))
`;

describe('spectral functions against numpy (svd, eigh)', () => {
  const shapes: [number, number][] = [[1, 1], [2, 2], [3, 3], [4, 2], [2, 5], [6, 6], [8, 5]];
  const xs = shapes.map(([m, n], i) => {
    const d = new Dense(m, n);
    const rng = createRng(500 + i);
    for (let k = 0; k < d.data.length; k++) d.data[k] = rng.normal();
    return d;
  });
  const run = python3(['-c', SPECTRAL_SCRIPT], { input: JSON.stringify(xs.map((x) => x.toArray())), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  const want = JSON.parse(run.stdout) as { s: number[]; uv: number[][]; polar: number[][]; nuc: number; spec: number; S: number[][]; lmax: number; uu: number[][] }[];

  it.each(xs.map((x, i) => [`${x.rows}×${x.cols}`, i] as const))('%s: singular values, u₁v₁ᵀ, UVᵀ, ‖·‖₂, ‖·‖_*, λ_max, uuᵀ', (_shape, i) => {
    const x = xs[i]!;
    const w = want[i]!;
    const s = spectral.singularValues(x);
    w.s.forEach((v, k) => expect(Math.abs(s[k]! - v)).toBeLessThan(1e-10 * Math.max(1, w.s[0]!)));
    expect(Math.abs(spectral.specnorm(x) - w.spec)).toBeLessThan(1e-10 * w.spec);
    expect(Math.abs(spectral.nuclearNorm(x) - w.nuc)).toBeLessThan(1e-10 * w.nuc);
    expect(relative(spectral.specnormGrad(x), w.uv)).toBeLessThan(1e-8);
    expect(relative(spectral.polar(x), w.polar)).toBeLessThan(1e-8);
    const sq = Dense.from(w.S);
    expect(Math.abs(spectral.eigmax(sq) - w.lmax)).toBeLessThan(1e-10 * Math.max(1, Math.abs(w.lmax)));
    expect(relative(spectral.eigmaxGrad(sq), w.uu)).toBeLessThan(1e-8);
  });
});
