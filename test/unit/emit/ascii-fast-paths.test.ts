import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latexName } from '../../../src/emit/latex.js';
import { leadingWord, trailingWord } from '../../../src/emit/printed.js';
import { pythonName } from '../../../src/emit/python-text.js';
import { textName } from '../../../src/emit/text.js';

/*
 * The printers test ASCII text first and ask a Unicode-property pattern only beyond ASCII (compiling
 * one costs a whole start ~1–2 %). These compare each with the single pattern it replaced, on random
 * strings mixing ASCII with the characters where the sets differ: modifier letters (ᵀ, ʰ), Greek,
 * subscript and superscript digits, combining marks, astral letters (𝑥), letter numbers (Ⅻ), other
 * decimal digits (٣), other and title-case letters (ק, ª, ǅ), connector punctuation (‿), and unpaired surrogates.
 */
const CHARS = [
  'a', 'Z', 'x', '_', '0', '9', ' ', '(', ')', 'ᵀ', 'ʰ', 'λ', 'Σ', 'ω', '₁', '²', '\u0302', '\u0301', '𝑥', '𝐀', 'Ⅻ',
  '٣', '‿', '·', '⊙', 'é', 'ק', 'ª', 'ǅ', 'µ', 'º', '×', '÷', '¹', '\u00a0', 'ÿ', 'À', 'ⁱ', 'ₐ', '⁻', '∇', '∘', '𝟙', '⟨', '\ud835', '\udc65', "'", '-',
];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }).map((cs) => cs.join(''));

const OLD_LEADING = /^[\p{Lu}\p{Ll}\p{Lt}\p{Lo}\p{Nd}_]+/u;
const OLD_TRAILING = /[\p{Lu}\p{Ll}\p{Lt}\p{Lo}\p{Nd}_]+$/u;
const OLD_PYTHON = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;

describe('ASCII-first word and name patterns agree with the Unicode patterns they replaced', () => {
  it('leading and trailing words', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(leadingWord(s)).toBe(OLD_LEADING.exec(s)?.[0] ?? '');
        expect(trailingWord(s)).toBe(OLD_TRAILING.exec(s)?.[0] ?? '');
      }),
      { numRuns: 3000 },
    );
  });

  it('every character the word edges decide by range, exhaustively', () => {
    const ranges: [number, number][] = [[0, 0x24f], [0x370, 0x3ff], [0x1d40, 0x1d40], [0x2070, 0x209f], [0x2200, 0x22ff]];
    for (const [from, to] of ranges) {
      for (let c = from; c <= to; c++) {
        const ch = String.fromCharCode(c);
        expect([c, leadingWord(ch)]).toEqual([c, OLD_LEADING.exec(ch)?.[0] ?? '']);
        expect([c, trailingWord(ch)]).toEqual([c, OLD_TRAILING.exec(ch)?.[0] ?? '']);
      }
    }
  });

  it('Python identifiers: a valid one is kept, anything else is spelled out', () => {
    fc.assert(
      fc.property(text, (s) => {
        const n = s.normalize('NFKC');
        const name = pythonName(s);
        if (OLD_PYTHON.test(n) && !['np', 'if', 'lambda'].includes(n)) expect(name).toBe(n);
        else expect(name.startsWith('_v_') || ['np', 'if', 'lambda'].includes(n)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('trailing digits become subscripts after a letter, as the one Unicode pattern had it', () => {
    const subscripts = '₀₁₂₃₄₅₆₇₈₉';
    const old = (name: string) => {
      const m = /^(.*\p{L})(\d+)$/u.exec(name);
      return m === null ? name : m[1]! + m[2]!.replace(/\d/g, (d) => subscripts[Number(d)]!);
    };
    fc.assert(
      fc.property(text, (s) => {
        expect(textName(s)).toBe(old(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('trailing digits become subscripts after a letter, ASCII or not', () => {
    const cases: [string, string][] = [['W1', 'W₁'], ['x_1', 'x_1'], ['12', '12'], ['λ2', 'λ₂'], ['Σ10', 'Σ₁₀'], ['a_b2', 'a_b₂'], ['ᵀ1', 'ᵀ₁']];
    for (const [name, expected] of cases) expect(textName(name)).toBe(expected);
  });

  it('LaTeX names', () => {
    const cases: [string, string][] = [['W1', 'W_{1}'], ['loss', '\\mathit{loss}'], ['beta2', '\\beta_{2}'], ['x_i', 'x_{i}'], ['λ3', '\\lambda_{3}'], ['x\u03022', '\\hat{x}_{2}'], ['λ', '\\lambda'], ['x', 'x'], ['Ŷ', '\\hat{Y}'], ['\u{1d465}', 'x'], ['ab', '\\mathit{ab}'], ['λμ', '\\lambda\\mu'], ['é', '\\acute{e}']];
    for (const [name, expected] of cases) expect(latexName(name)).toBe(expected);
  });
});
