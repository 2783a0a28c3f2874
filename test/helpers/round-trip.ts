import { expect } from 'vitest';
import { inferShapes } from '../../src/shape/infer.js';
import { parseProgram } from '../../src/syntax/parse.js';
import * as F from '../../src/term/factory.js';
import type { Term } from '../../src/term/term.js';
import { postOrder } from '../../src/term/traverse.js';
import { Dense, maxAbs, subtract } from '../../src/verify/dense.js';
import { evaluateTerm } from '../../src/verify/evaluate.js';

/**
 * The fixture of the printers' round-trip tests (test/unit/emit/round-trip.test.ts for text and
 * ASCII, test/notation/printed-round-trip.test.ts for LaTeX, NumPy and PyTorch): variables of every
 * shape, inputs for them, and "parses back to a term of the same value".
 */
export const SIZES = new Map([
  ['n', 3],
  ['m', 4],
]);
export const [n, m] = ['n', 'm'];
export const X = F.variable('X', [n, n]);
export const S = F.variable('S', [n, n]);
export const M = F.variable('M', [n, n]);
export const W = F.variable('W', [n, n]);
export const W1 = F.variable('W1', [n, n]);
export const A = F.variable('A', [m, n]);
export const x = F.variable('x', [n, 1]);
export const xi = F.variable('x_i', [n, 1]);
export const y = F.variable('y', [m, 1]);
export const a = F.variable('a', [n, 1]);
export const b = F.variable('b', [n, 1]);
export const s = F.variable('s', [1, 1]);
export const t = F.variable('t', [1, 1]);
export const beta = F.variable('beta', [1, 1]);
export const alpha = F.variable('α', [1, 1]);
export const T = F.transpose;
export const neg = (term: Term): Term => F.mul([F.num(-1), term]);

const size = (d: string | number): number => (typeof d === 'number' ? d : SIZES.get(d)!);

/** Deterministic inputs; X is diagonally dominant (inverse, logdet), scalars positive. */
function inputs(): Map<string, Dense> {
  let state = 12345;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  const values = new Map<string, Dense>();
  for (const v of [X, S, M, W, W1, A, x, xi, y, a, b, s, t, beta, alpha]) {
    const d = new Dense(size(v.shape[0]), size(v.shape[1]));
    for (let i = 0; i < d.data.length; i++) d.data[i] = d.data.length === 1 ? 1 + next() : next();
    if (v === X) for (let i = 0; i < d.rows; i++) d.data[i * d.cols + i]! += 4;
    values.set(v.name, d);
  }
  return values;
}
export const VALUES = inputs();

/** Parses `text` with the variables of `original` declared at their concrete sizes, and builds the term. */
export function parseBack(text: string, original: Term): Term {
  const dims = new Map<string, readonly [number, number]>();
  for (const v of postOrder([original]).filter((u) => u.kind === 'var')) dims.set(v.name, [size(v.shape[0]), size(v.shape[1])]);
  const source = { name: '<printed>', text };
  const parsed = parseProgram(source, { knownNames: new Set(dims.keys()) });
  if (!parsed.ok) throw new Error(`${text}: ${parsed.diagnostics.map((d) => d.message).join('; ')}`);
  const typed = inferShapes(parsed.value, source, { dims });
  if (!typed.ok) throw new Error(`${text}: ${typed.diagnostics.map((d) => d.message).join('; ')}`);
  return typed.value.term;
}

/** `text` parses back to a term with the value of `original` at VALUES. */
export function expectSameValue(text: string, original: Term): void {
  const context = { values: VALUES, dimSizes: SIZES };
  const want = evaluateTerm(original, context);
  const got = evaluateTerm(parseBack(text, original), context);
  expect([got.rows, got.cols], text).toEqual([want.rows, want.cols]);
  expect(maxAbs(subtract(got, want)), text).toBeLessThan(1e-9 * (1 + maxAbs(want)));
}
