import { tokenMatcher, type IToken, type TokenType } from '../../grammar/chevrotain.js';
import {
  Bar,
  Comma,
  Equals,
  FunctionName,
  LAngle,
  LParen,
  PowerOperator,
  ProductOperator,
  RAngle,
  RParen,
  Separator,
  SumOperator,
} from '../../grammar/tokens.js';
import { diag, DiagnosticError } from '../diagnostics/diagnostic.js';
import type { Source } from '../diagnostics/span.js';
import { tokenSpan } from './cst-to-ast.js';
import type { Problems } from './problems.js';
import { endsOperand } from './token-passes.js';

/**
 * Token pass 3 of parse.ts: runs of redundant parentheses collapse to one pair, and the nesting left
 * is checked against MAX_NESTING_DEPTH, the depth the later (recursive) stages are promised.
 */

/**
 * How deeply brackets and bare function names (`log det X`) may nest. The parser itself has no
 * depth limit (brackets are parsed innermost first, bare functions are a flat list), so this is
 * the depth of tree the later stages, which recurse over the AST, are promised never to see.
 * Redundant parentheses are collapsed first, so `((((x))))` at any depth is one level.
 */
export const MAX_NESTING_DEPTH = 1000;

/**
 * `((x))` → `(x)`, keeping the outer pair (whose span the expression takes). A pair is redundant
 * when it directly encloses another pair: `(` `(` … `)` `)` with nothing in between. This turns
 * 10,000 nested parentheses into one level without touching their meaning. The parentheses of a
 * call are not grouping, so `f((a, b))` keeps its inner pair (and its error).
 */
export function collapseRedundantParentheses(tokens: IToken[]): IToken[] {
  // Most inputs have no `((` at all: nothing to pair up.
  if (!tokens.some((token, i) => token.tokenType === LParen && tokens[i + 1]?.tokenType === LParen)) return tokens;
  const match = new Int32Array(tokens.length).fill(-1);
  const open: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const type = tokens[i]!.tokenType;
    if (type === LParen) open.push(i);
    else if (type === RParen && open.length > 0) {
      const j = open.pop()!;
      match[j] = i;
      match[i] = j;
    }
  }
  const drop = new Uint8Array(tokens.length);
  let dropped = 0;
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i]!.tokenType !== LParen || tokens[i + 1]!.tokenType !== LParen || tokens[i - 1]?.tokenType === FunctionName) continue;
    const outerClose = match[i]!;
    const innerClose = match[i + 1]!;
    if (outerClose >= 0 && innerClose >= 0 && innerClose === outerClose - 1) {
      drop[i + 1] = 1;
      drop[innerClose] = 1;
      dropped += 2;
    }
  }
  return dropped === 0 ? tokens : tokens.filter((_, i) => drop[i] === 0);
}

/**
 * Measures how deeply the AST will nest: one level per open bracket, plus one per bare function
 * name (`log det X`) whose operand is still open. A bare function's operand ends at the next
 * explicit operator, comma or separator of its bracket level.
 */
export function checkDepth(tokens: readonly IToken[], problems: Problems, source: Source): void {
  // Each token opens at most one level: a stream no longer than the limit cannot exceed it.
  if (tokens.length <= MAX_NESTING_DEPTH) return;
  const bareCounts: number[] = [0]; // per open bracket, outermost first
  const brackets: TokenType[] = [];
  let depth = 0;
  let deepest = 0;
  let firstTooDeep: IToken | undefined;
  let previous: IToken | undefined;
  let previousClosedNorm = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const type = token.tokenType;
    let closedNorm = false;
    const top = brackets[brackets.length - 1];
    const closesNorm: boolean = type === Bar && top === Bar && previous !== undefined && endsOperand(previous, previousClosedNorm, false);
    if (type === LParen || type === LAngle || (type === Bar && !closesNorm)) {
      brackets.push(type);
      bareCounts.push(0);
      depth++;
    } else if ((type === RParen || type === RAngle || closesNorm) && brackets.length > 0) {
      brackets.pop();
      depth -= 1 + bareCounts.pop()!;
      closedNorm = closesNorm;
    } else if (type === FunctionName && tokens[i + 1]?.tokenType !== LParen) {
      bareCounts[bareCounts.length - 1]!++;
      depth++;
    } else if (
      tokenMatcher(token, ProductOperator) ||
      type === Comma ||
      type === Equals ||
      tokenMatcher(token, Separator) ||
      // A sign right after ^ belongs to the exponent; the bare function's operand goes on.
      (tokenMatcher(token, SumOperator) && !(previous !== undefined && tokenMatcher(previous, PowerOperator)))
    ) {
      depth -= bareCounts[bareCounts.length - 1]!;
      bareCounts[bareCounts.length - 1] = 0;
    }
    if (depth > deepest) deepest = depth;
    if (depth > MAX_NESTING_DEPTH && firstTooDeep === undefined) firstTooDeep = token;
    previous = token;
    previousClosedNorm = closedNorm;
  }
  if (firstTooDeep !== undefined) {
    const at = tokenSpan(firstTooDeep);
    // An earlier lexical problem is still the better message; otherwise stop before parsing.
    if (problems.first?.span !== undefined && problems.first.span.start <= at.start) throw new DiagnosticError(problems.first);
    throw new DiagnosticError(diag('syntax/too-deep', { source, span: at }, deepest, MAX_NESTING_DEPTH));
  }
}

// ── parsing and its errors ──────────────────────────────────────────────────
