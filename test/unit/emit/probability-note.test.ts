import { expect, test } from 'vitest';
import { gradient } from '../../../src/pipeline.js';

/**
 * `probability` of a matrix is one distribution over all its entries; batch labels are row-stochastic.
 * The answer is right under either, and the note says which was read and what to write for the other.
 */
const notesOf = (expression: string, assume: string): readonly string[] => {
  const result = gradient({ expression, wrt: 'W', assume, check: false });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  return result.value.notes;
};

test('a matrix declared probability gets the note naming row-stochastic and column-stochastic', () => {
  const notes = notesOf('-sum(Y .* log(softmax_rows(X*W)))', 'Y:probability');
  expect(notes.some((n) => /Y:probability: all entries of the matrix Y .* write Y:row-stochastic, in each column Y:column-stochastic/.test(n))).toBe(true);
});

test('a vector declared probability, or a row-stochastic matrix, gets none', () => {
  expect(notesOf("-y'*log(softmax(W*x))", 'y:probability').some((n) => n.includes('probability'))).toBe(false);
  expect(notesOf('-sum(Y .* log(softmax_rows(X*W)))', 'Y:row-stochastic').some((n) => n.includes('probability'))).toBe(false);
});
