import { describe, expect, test } from 'vitest';
import { emitAscii } from '../../../src/emit/ascii.js';
import { emitLatex } from '../../../src/emit/latex.js';
import { emitNumpy } from '../../../src/emit/numpy.js';
import { emitText } from '../../../src/emit/text.js';
import * as F from '../../../src/term/factory.js';
import type { Term } from '../../../src/term/term.js';

/** Deep input is normal input: the printers are iterative, and linear in the output. */
const x = F.variable('x', ['n', 1]);
const dimExpr = String;

describe('deep terms print without overflowing the stack', () => {
  const depth = 10_000;
  let chain: Term = x;
  for (let i = 0; i < depth; i++) chain = F.fn('exp', chain);

  test('a 10,000-deep exp chain', () => {
    const close = ')'.repeat(depth);
    expect(emitText([chain]).main[0]).toBe(`${'exp('.repeat(depth)}x${close}`);
    expect(emitAscii([chain]).main[0]).toBe(`${'exp('.repeat(depth)}x${close}`);
    expect(emitLatex([chain]).main[0]).toBe(`${'\\exp('.repeat(depth)}x${close}`);
    expect(emitNumpy(chain, { dimExpr })).toBe(`${'np.exp('.repeat(depth)}x${close}`);
  });

  test('a 100,000-term sum', { timeout: 60_000 }, () => {
    const count = 100_000;
    const terms: Term[] = [];
    for (let i = 1; i <= count; i++) terms.push(F.mul([F.num(i % 2 === 0 ? i : -i), x]));
    const sum = F.add(terms);
    const text = emitText([sum]).main[0]!;
    expect(text.startsWith('−x + 2x − 3x + 4x')).toBe(true);
    expect(text.endsWith('− 99999x + 100000x')).toBe(true);
    expect(emitAscii([sum]).main[0]!.endsWith('- 99999*x + 100000*x')).toBe(true);
    expect(emitLatex([sum]).main[0]!.endsWith('- 99999x + 100000x')).toBe(true);
    expect(emitNumpy(sum, { dimExpr }).endsWith('- 99999 * x + 100000 * x')).toBe(true);
  });

  test('a 100,000-deep nested sum and product', { timeout: 60_000 }, () => {
    const A = F.variable('A', ['n', 'n']);
    let sum: Term = x;
    let product: Term = x;
    for (let i = 0; i < 100_000; i++) {
      sum = F.add([sum, F.mul([F.num(-1), x])]);
      product = F.mul([A, product]);
    }
    const text = emitText([sum, product]).main;
    expect(text[0]!.length).toBe(1 + 4 * 100_000);
    expect(text[0]!.endsWith('x − x − x')).toBe(true);
    expect(text[1]!).toBe(`${'A('.repeat(99_999)}Ax${')'.repeat(99_999)}`);
  });

  test('a DAG that doubles at every level prints in linear size', () => {
    let h: Term = x;
    for (let i = 0; i < 1000; i++) h = F.hmul([h, h]);
    const e = emitText([h]);
    expect(e.where).toHaveLength(499);
    expect(e.main[0]).toBe('T₄₉₉ ⊙ T₄₉₉ ⊙ (T₄₉₉ ⊙ T₄₉₉)');
    expect(e.where[1]).toEqual({ name: 'T₂', text: 'T₁ ⊙ T₁ ⊙ (T₁ ⊙ T₁)' });
    expect(emitNumpy(h, { dimExpr }).length).toBeLessThan(30_000);
  });
});
