import { describe, expect, it } from 'vitest';
import { parsePoint, type Point } from '../../../src/shape/point.js';
import { add, fn, inv, mul, reduce, transpose, variable } from '../../../src/term/factory.js';
import { evaluateAtPoint, missingFromPoint, pointDimSizes } from '../../../src/verify/at-point.js';

function point(text: string): Point {
  const result = parsePoint(text);
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  return result.value;
}

const x = variable('x', [1, 1]);
const y = variable('y', [1, 1]);
const z = variable('z', [1, 1]);
const v = variable('v', ['n', 1]);
const A = variable('A', ['n', 'n']);

describe('values at a point', () => {
  it("gives the notes' (x + y)z at x = −2, y = 5, z = −4", () => {
    const f = mul([add([x, y]), z]);
    const result = evaluateAtPoint([f, z, z, add([x, y])], point('x=-2, y=5, z=-4'));
    expect(result.problems).toEqual([]);
    // f = −12; ∂f/∂x = ∂f/∂y = z = −4; ∂f/∂z = x + y = 3.
    expect(result.values.map((d) => d.get(0, 0))).toEqual([-12, -4, -4, 3]);
  });

  it('reads symbolic sizes off the values', () => {
    const f = mul([transpose(v), A, v]);
    const at = point('v=[1,2], A=[[1,2],[3,4]]');
    expect([...pointDimSizes([f], at)]).toEqual([['n', 2]]);
    const result = evaluateAtPoint([f], at);
    // vᵀAv = [1 2]·[[1,2],[3,4]]·[1;2] = 1 + 4 + 6 + 16 = 27.
    expect(result.values[0]!.get(0, 0)).toBe(27);
  });

  it('names the variables the point leaves out', () => {
    expect(missingFromPoint([mul([add([x, y]), z])], point('x=1'))).toEqual(['y', 'z']);
  });

  it('has no value outside a domain', () => {
    const result = evaluateAtPoint([fn('log', x)], point('x=-2'));
    expect(result.values).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.kind).toBe('domain');
    expect(result.problems[0]!.message).toContain('log of a non-positive value');
  });

  it('has no value for the inverse of a singular matrix', () => {
    const result = evaluateAtPoint([reduce('trace', inv(A))], point('A=[[1,2],[2,4]]'));
    expect(result.problems.map((p) => p.kind)).toContain('singular');
  });

  it('marks a point on a kink, and still gives the value', () => {
    const result = evaluateAtPoint([fn('relu', x)], point('x=0'));
    expect(result.problems).toEqual([]);
    expect(result.kinks).toHaveLength(1);
    expect(result.values[0]!.get(0, 0)).toBe(0);
  });
});
