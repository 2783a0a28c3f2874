/**
 * MATLAB and matrixcalculus.org: `x'`, `.*`, `.^`, `.'`, `inv`, `trace` need no rewriting (the
 * lexer and dialects/spellings.ts take them); what is left is the left division `A\b` = inv(A)·b.
 *
 * The backslash is shared with LaTeX, and LaTeX is tried first (latex.ts leaves only the
 * backslash words it does not know). A remaining `\`, `\(` or `\` + one letter directly after an
 * operand is the left division by what follows (`A\b`, `A \ b`, `A\(b + c)`, `K\r2`); anything
 * else is an unknown LaTeX command, with the nearest known one suggested (`x\to`: did you mean `\top`?).
 */
import type { IToken } from '../../../grammar/chevrotain.js';
import { Backslash, IdentifierRun, LeftDivide, LParen, NumberLiteral } from '../../../grammar/tokens.js';
import { covering, end, endsOperand, type DialectPass } from './edit.js';
import { latexHint } from './latex.js';

export const translateMatlab: DialectPass = (tokens, context) => {
  if (!tokens.some((t) => t.tokenType === Backslash)) return tokens;
  const out: IToken[] = [];
  const source = context.source;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.tokenType !== Backslash) {
      out.push(token);
      continue;
    }
    const start = token.startOffset;
    const rest = token.image.slice(1);
    const previous = out[out.length - 1];
    // Only `\`, `\(` or one letter (with digits: `A\b`, `K\r2`): `x\to` is a typo of `\top`, not x⁻¹·t·o.
    if (previous !== undefined && endsOperand(previous) && (rest === '' || rest === '(' || /^[A-Za-z][0-9]*$/.test(rest))) {
      out.push(covering(LeftDivide, source, start, start + 1));
      // The lexer ends a backslash word at its letters: `K\r2` is K \ r2, so the digits join the name.
      const digits = tokens[i + 1];
      const glued = rest !== '(' && rest !== '' && digits?.tokenType === NumberLiteral && digits.startOffset === end(token) && /^\d+$/.test(digits.image);
      if (glued) i++;
      if (rest !== '') out.push(covering(rest === '(' ? LParen : IdentifierRun, source, start + 1, glued ? end(digits) : end(token)));
      continue;
    }
    if (rest === '') context.report('syntax/unexpected-token', { start, end: start + 1 }, "'\\'", "an operand before MATLAB's left division A\\b");
    else context.report('syntax/unknown-latex', { start, end: end(token) }, token.image, latexHint(rest));
  }
  return out;
};
