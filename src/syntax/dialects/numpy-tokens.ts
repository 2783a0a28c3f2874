import type { IToken } from '../../../grammar/chevrotain.js';
import {
  ColonEquals,
  Dot,
  Eye,
  FunctionName,
  IdentifierRun,
  LParen,
  Name,
  NumberLiteral,
  RParen,
  Star,
  Superscript,
  Transpose,
  DoubleStar,
  Group,
  RAngle,
} from '../../../grammar/tokens.js';
import { end } from './edit.js';

/**
 * Two questions about the token stream the NumPy reader (numpy.ts) asks: whether the input is NumPy
 * at all, and where the operand before a method call (`x.T`, `(A @ x).sum()`) starts among the
 * tokens already written. Separate: they read tokens, not the NumPy vocabulary or the reader's state.
 */

/**
 * Whether the input is NumPy: `@`, a module name followed by `.`, an attribute, `:=`, or `**` in an
 * input with no `'`/`ᵀ` transpose (`x'*A*x + b**2` mixes notations; there `*` stays the product).
 */
export function isPython(tokens: readonly IToken[]): boolean {
  const transposes = tokens.some((t) => t.tokenType === Transpose && t.image !== '⊤');
  return tokens.some((t, i) => {
    if (t.tokenType === Star && t.image === '@') return true;
    if (t.tokenType === ColonEquals) return true;
    if (t.tokenType === DoubleStar && !transposes) return true;
    if (t.tokenType !== Dot) return false;
    const next = tokens[i + 1];
    return next?.tokenType === IdentifierRun && next.startOffset === end(t);
  });
}

/** Where the operand before a method call starts in `out`: a name or number, or a bracket with its call name, with transposes. */
export function operandStart(out: readonly IToken[]): number {
  let k = out.length - 1;
  while (k >= 0 && (out[k]!.tokenType === Transpose || out[k]!.tokenType === Superscript)) k--;
  if (k < 0) return -1;
  const type = out[k]!.tokenType;
  if (type === RParen || type === RAngle) {
    let depth = 0;
    for (; k >= 0; k--) {
      const t = out[k]!.tokenType;
      if (t === RParen || t === RAngle) depth++;
      else if ((t === LParen || t.name === 'LAngle') && --depth === 0) break;
    }
    if (k > 0 && out[k - 1]!.tokenType === FunctionName) k--;
    return k;
  }
  if (type === IdentifierRun || type === Name || type === NumberLiteral || type === Eye || type === Group) return k;
  return -1;
}
