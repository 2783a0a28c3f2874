import { Dense, map } from './dense.js';

/**
 * The functions the check substitutes for abstract ones (term/abstract-functions.ts). A derivative
 * with ∇f(Y) or g′(Y) in it is checked by drawing a smooth f (or g) whose gradient is known and
 * comparing the answer, evaluated with that gradient, against finite differences of the expression
 * evaluated with f itself. The coefficients come from the function's code (its name) and a salt,
 * so f and ∇f agree at every point, different names are different functions, and the functions are
 * not separable sums of one shape: a wrong transpose or a swapped factor changes the value.
 *
 *   f(Y) = Σᵢⱼ Cᵢⱼ tanh(Yᵢⱼ) + (c/2)‖Y‖² + (e/2)⟨D, Y⟩²,  ∇f(Y) = C ⊙ (1 − tanh²(Y)) + cY + e⟨D, Y⟩D
 *   g(y) = a sin(b y + φ) + s tanh(y) + t y,                g′(y) = a b cos(b y + φ) + s (1 − tanh² y) + t
 */

/** Deterministic pseudo-random numbers in (−1, 1) from a code and an index (a 32-bit mix, splitmix-style). */
function coefficient(code: number, salt: number, index: number): number {
  let h = (Math.floor(code) ^ Math.floor(code / 4294967296) * 0x9e3779b1 ^ (salt * 0x85ebca6b) ^ (index * 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return (h / 4294967296) * 2 - 1;
}

interface ScalarCoefficients {
  readonly c: number;
  readonly e: number;
}

function scalarCoefficients(code: number): ScalarCoefficients {
  return { c: 0.5 + 0.5 * Math.abs(coefficient(code, 1, 0)), e: 0.5 * coefficient(code, 2, 0) };
}

/** The value of the scalar function a code stands for, at y. */
export function abstractScalar(code: number, y: Dense): Dense {
  const { c, e } = scalarCoefficients(code);
  let sum = 0;
  let square = 0;
  let inner = 0;
  y.data.forEach((v, k) => {
    sum += coefficient(code, 3, k) * Math.tanh(v);
    square += v * v;
    inner += coefficient(code, 4, k) * v;
  });
  return Dense.scalar(sum + (c / 2) * square + (e / 2) * inner * inner);
}

/** Its gradient at y, a matrix of y's shape. */
export function abstractGradient(code: number, y: Dense): Dense {
  const { c, e } = scalarCoefficients(code);
  let inner = 0;
  y.data.forEach((v, k) => (inner += coefficient(code, 4, k) * v));
  const out = new Dense(y.rows, y.cols);
  y.data.forEach((v, k) => {
    const t = Math.tanh(v);
    out.data[k] = coefficient(code, 3, k) * (1 - t * t) + c * v + e * inner * coefficient(code, 4, k);
  });
  return out;
}

interface ElementwiseCoefficients {
  readonly a: number;
  readonly b: number;
  readonly phi: number;
  readonly s: number;
  readonly t: number;
}

function elementwiseCoefficients(code: number): ElementwiseCoefficients {
  return {
    a: coefficient(code, 5, 0),
    b: 0.5 + 0.5 * Math.abs(coefficient(code, 6, 0)),
    phi: Math.PI * coefficient(code, 7, 0),
    s: coefficient(code, 8, 0),
    t: 0.5 * coefficient(code, 9, 0),
  };
}

/** The element-wise function a code stands for, applied entry by entry. */
export function abstractElementwise(code: number, y: Dense): Dense {
  const { a, b, phi, s, t } = elementwiseCoefficients(code);
  return map(y, (v) => a * Math.sin(b * v + phi) + s * Math.tanh(v) + t * v);
}

/** Its derivative, entry by entry. */
export function abstractDerivative(code: number, y: Dense): Dense {
  const { a, b, phi, s, t } = elementwiseCoefficients(code);
  return map(y, (v) => {
    const th = Math.tanh(v);
    return a * b * Math.cos(b * v + phi) + s * (1 - th * th) + t;
  });
}
