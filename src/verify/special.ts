/**
 * Special functions the evaluator needs and JavaScript's Math lacks. Each is accurate to about
 * 1e-15 relative, so that the numeric check compares the gradient with the function itself and not
 * with an approximation's error.
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2/√π
const ONE_OVER_SQRT_PI = 0.5641895835477563; // 1/√π
/** Below this |x| the series is used, above it erfc's continued fraction (both converge fast there). */
const SERIES_LIMIT = 2.5;
/** erf(6) = 1 − 2.2e-17: beyond it erf is ±1 in double precision. */
const SATURATED = 6;
const MAX_TERMS = 200;

/**
 * The error function erf(x) = 2/√π ∫₀ˣ exp(−t²) dt.
 * - |x| ≤ 2.5: erf(x) = 2/√π · exp(−x²) · Σₙ 2ⁿx²ⁿ⁺¹ / (1·3·5⋯(2n+1)) (Abramowitz & Stegun 7.1.6),
 *   a series of positive terms, so no cancellation (the plain Maclaurin series alternates and loses
 *   digits for |x| > 1);
 * - |x| > 2.5: erf(x) = 1 − erfc(x), erfc by its continued fraction (A&S 7.1.14) evaluated with
 *   the modified Lentz method; erfc(x) < 4e-4 there, so the subtraction loses nothing.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return -erf(-x);
  if (x >= SATURATED) return 1;
  if (x <= SERIES_LIMIT) return erfSeries(x);
  return 1 - erfcContinuedFraction(x);
}

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < MAX_TERMS; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/**
 * erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))) for x > 0: the partial
 * numerators are k/2, k = 1, 2, …; modified Lentz (Numerical Recipes §5.2).
 */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < MAX_TERMS; k++) {
    const a = k / 2;
    d = x + a * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (ONE_OVER_SQRT_PI * Math.exp(-x * x)) / f;
}
