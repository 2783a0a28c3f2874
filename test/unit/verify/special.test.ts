import { describe, expect, it } from 'vitest';
import { erf } from '../../../src/verify/special.js';

/**
 * erf against reference values (CPython's math.erf, itself accurate to a few ulps, printed with
 * repr), on both sides of the switch from the series to the continued fraction at 2.5, and against
 * its own defining properties: odd, its derivative 2/√π·exp(−x²) (by central differences) and the
 * limits ±1.
 */
const REFERENCE: readonly [number, number][] = [
  [1e-8, 1.1283791670955126e-8],
  [0.1, 0.1124629160182849],
  [0.5, 0.5204998778130465],
  [1.0, 0.8427007929497149],
  [1.5, 0.9661051464753108],
  [2.0, 0.9953222650189527],
  [2.5, 0.999593047982555],
  [2.6, 0.9997639655834707],
  [3.0, 0.9999779095030014],
  [4.0, 0.9999999845827421],
  [5.5, 0.9999999999999927],
];

describe('erf', () => {
  it.each(REFERENCE)('erf(%d) to 1e-14 relative', (x, want) => {
    expect(Math.abs(erf(x) - want) / want).toBeLessThan(1e-14);
    expect(Math.abs(erf(-x) + want) / want).toBeLessThan(1e-14);
  });

  it('is 0 at 0, ±1 far out, NaN at NaN', () => {
    expect(erf(0)).toBe(0);
    expect(erf(30)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(NaN)).toBeNaN();
  });

  it('has the derivative 2/√π·exp(−x²) everywhere the two methods meet', () => {
    for (let x = -4; x <= 4; x += 0.125) {
      const h = 1e-5;
      const numeric = (erf(x + h) - erf(x - h)) / (2 * h);
      const exact = (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x);
      expect(Math.abs(numeric - exact), `x = ${x}`).toBeLessThan(1e-9);
    }
  });

  it('is increasing across the switch at 2.5', () => {
    let previous = erf(2.49);
    for (let x = 2.491; x <= 2.51; x += 0.001) {
      const y = erf(x);
      expect(y).toBeGreaterThan(previous);
      previous = y;
    }
  });
});
