import { describe, expect, it } from 'vitest';
import { parsePoint, parsePointJson, pointDims, type PointValue } from '../../../src/shape/point.js';

/** What a person types after --at, and the values matcalc must read (rows, cols, row-major data). */
const READINGS: [string, Record<string, [number, number, number[]]>][] = [
  ['x=-2, y=5, z=-4', { x: [1, 1, [-2]], y: [1, 1, [5]], z: [1, 1, [-4]] }],
  ['x = 1.5e-3', { x: [1, 1, [0.0015]] }],
  ['x=−3', { x: [1, 1, [-3]] }],
  ['x=.5', { x: [1, 1, [0.5]] }],
  ['x=[1,2,3]', { x: [3, 1, [1, 2, 3]] }],
  ['x=[1, 2, 3], b=0', { x: [3, 1, [1, 2, 3]], b: [1, 1, [0]] }],
  ['W=[[1,2],[3,4]]', { W: [2, 2, [1, 2, 3, 4]] }],
  ['W=[[1,2,3],[4,5,6]], x=[1,1,1]', { W: [2, 3, [1, 2, 3, 4, 5, 6]], x: [3, 1, [1, 1, 1]] }],
  ['r=[[1,2,3]]', { r: [1, 3, [1, 2, 3]] }],
  ['c=[[1],[2]]', { c: [2, 1, [1, 2]] }],
  ['W=[1 2; 3 4]', { W: [2, 2, [1, 2, 3, 4]] }],
  ['v=[1; 2; 3]', { v: [3, 1, [1, 2, 3]] }],
  ['W=[1, 2; 3, 4]', { W: [2, 2, [1, 2, 3, 4]] }],
  ['W₁=[[1]]', { W1: [1, 1, [1]] }],
  ['W_1=2', { W1: [1, 1, [2]] }],
  ['x=[7]', { x: [1, 1, [7]] }],
];

/** Input that must be refused, and a piece of the reason the message must give. */
const REFUSALS: [string, string][] = [
  ['', 'at least one value'],
  ['x', 'NAME=VALUE'],
  ['x=', 'missing number'],
  ['x=abc', 'not a number'],
  ['x=1e999', 'not a finite number'],
  ['x=1,,y=2', 'empty entry'],
  ['x=1, x=2', 'given twice'],
  ['2x=1', 'not a variable name'],
  ['x=[1 2 3]', 'could be a row'],
  ['x=[1,2', "'[' is not closed"],
  ['x=1]', "without its '['"],
  ['W=[[1,2],[3]]', 'row 2 has 1 entries'],
  ['W=[1 2; 3]', 'row 2 has 1 entries'],
  ['W=[[[1]]]', 'more than two deep'],
  ['x=[]', 'empty list'],
  ['x=[1,[2]]', 'mixes numbers and lists'],
  ['x=[1,,2]', 'missing number'],
  ['W=[[1,2] [3,4]]', "expected ','"],
];

function plain(value: PointValue): [number, number, number[]] {
  return [value.rows, value.cols, [...value.data]];
}

describe('--at values', () => {
  it.each(READINGS)('reads %s', (text, expected) => {
    const result = parsePoint(text);
    expect(result.ok, result.ok ? '' : result.diagnostics.map((d) => d.message).join('; ')).toBe(true);
    if (!result.ok) return;
    expect(Object.fromEntries([...result.value].map(([name, value]) => [name, plain(value)]))).toEqual(expected);
  });

  it.each(REFUSALS)('refuses %j', (text, reason) => {
    const result = parsePoint(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const d = result.diagnostics[0]!;
    expect(d.code).toBe('MC2024');
    expect(d.message).toContain(reason);
    expect(d.source?.name).toBe('--at');
  });

  it('gives sizes in the form --dims gives them', () => {
    const result = parsePoint('x=[1,2,3], W=[[1,2,3],[4,5,6]], s=2');
    if (!result.ok) throw new Error('not read');
    expect([...pointDims(result.value)]).toEqual([['x', [3, 1]], ['W', [2, 3]], ['s', [1, 1]]]);
  });
});

describe('--at-file values (JSON)', () => {
  it('reads numbers, columns and rows', () => {
    const result = parsePointJson('{"x": -2, "a": [1, 2, 3], "W": [[1, 2], [3, 4]], "W_2": [[5, 6]]}', 'values.json');
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    expect(Object.fromEntries([...result.value].map(([n, v]) => [n, plain(v)]))).toEqual({
      x: [1, 1, [-2]],
      a: [3, 1, [1, 2, 3]],
      W: [2, 2, [1, 2, 3, 4]],
      W2: [1, 2, [5, 6]],
    });
  });

  it.each([
    ['not json', 'not JSON'],
    ['[1, 2]', 'JSON object'],
    ['{}', 'at least one value'],
    ['{"x": "1"}', 'expected a number'],
    ['{"x": [[1, 2], [3]]}', 'row 2 has 1 entries'],
    ['{"x": [1, [2]]}', 'rows of numbers'],
    ['{"1x": 1}', 'not a variable name'],
    ['{"W1": 1, "W₁": 2}', 'given twice'],
  ])('refuses %s', (text, reason) => {
    const result = parsePointJson(text, 'values.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics[0]!.message).toContain(reason);
    expect(result.diagnostics[0]!.source?.name).toBe('values.json');
  });
});
