/**
 * The dialects: one grammar, several spellings. Each pass rewrites the lexed tokens of its dialect
 * into the canonical tokens of grammar/tokens.ts, keeping every token's image its source text, so
 * the parser, the AST and the error spans are the same whichever spelling the user chose.
 *
 * The order decides which dialect a token belongs to when it could belong to two (grammar/README.md,
 * "Dialects"): LaTeX first (a backslash word LaTeX knows is LaTeX: `A\beta` is A·β), then NumPy
 * (only when the input uses `@`, `np.`, `x.T` or `:=`), then MATLAB (the backslashes left over,
 * `A\b`), then the lecture notes' spellings, which see the canonical tokens of the others
 * (`\text{where}` and `where` are the same word there; `1^\top` and `1ᵀ` the same ones vector).
 */
import type { IToken } from '../../../grammar/chevrotain.js';
import type { DialectContext, DialectPass } from './edit.js';
import { translateLatex } from './latex.js';
import { translateMatlab } from './matlab.js';
import { translateNotes } from './notes.js';
import { translatePython } from './numpy.js';

export const DIALECT_PASSES: readonly DialectPass[] = [translateLatex, translatePython, translateMatlab, translateNotes];

export function translateDialects(tokens: IToken[], context: DialectContext): IToken[] {
  let result = tokens;
  for (const pass of DIALECT_PASSES) result = pass(result, context);
  return result;
}
