/**
 * What every dialect pass needs to rewrite tokens: building canonical tokens whose image is the
 * exact source text they stand for (so `tokenSpan` stays right and errors point at what the user
 * typed), zero-width tokens for structure the user left implicit (the parentheses of `\frac`),
 * and bracket matching over a token list.
 */
import { createTokenInstance, type IToken, type TokenType } from '../../../grammar/chevrotain.js';
import { IdentifierRun } from '../../../grammar/tokens.js';
import type { DiagnosticId } from '../../diagnostics/catalog.js';
import type { Source, Span } from '../../diagnostics/span.js';

/** The token list of one input and how to report a problem in it. */
export interface DialectContext {
  readonly source: Source;
  /** Reports a syntax problem; the earliest in the text wins (parse.ts). */
  readonly report: (id: DiagnosticId, at: Span, ...args: string[]) => void;
  /** A program (definitions allowed), not one expression of a rule file. */
  readonly program: boolean;
}

export type DialectPass = (tokens: IToken[], context: DialectContext) => IToken[];

/** A token of `type` covering source.text[start, end): its image is that text. */
export function covering(type: TokenType, source: Source, start: number, end: number, payload?: unknown): IToken {
  const token = createTokenInstance(type, source.text.slice(start, end), start, NaN, NaN, NaN, NaN, NaN);
  token.payload = payload;
  return token;
}

/** A token with no source text, at `at`: structure the spelling implies (`\frac{a}{b}` → `((a)/(b))`). */
export function zeroWidth(type: TokenType, at: number, payload?: unknown): IToken {
  const token = createTokenInstance(type, '', at, NaN, NaN, NaN, NaN, NaN);
  token.payload = payload;
  return token;
}

/** The same source text, read as another token type. */
export function retyped(token: IToken, type: TokenType, payload?: unknown): IToken {
  const copy = createTokenInstance(type, token.image, token.startOffset, NaN, NaN, NaN, NaN, NaN);
  copy.payload = payload;
  return copy;
}

/**
 * An identifier run that reads as `text` (a Greek letter spelled `\alpha`, a LaTeX subscript
 * `W_{1}` read as `W_1`): parse.ts splits `runText(token)`, while the image stays the source text.
 */
export function runReadingAs(source: Source, start: number, end: number, text: string): IToken {
  return covering(IdentifierRun, source, start, end, text);
}

/** The text an identifier run is split from: a dialect's reading, else the source text. */
export function runText(token: IToken): string {
  return typeof token.payload === 'string' ? token.payload : token.image;
}

export function end(token: IToken): number {
  return token.startOffset + token.image.length;
}

/**
 * For every opener in `tokens` (of the given open/close types), the index of its closer, and the
 * reverse; -1 where unmatched. One stack per call, no recursion.
 */
export function matchBrackets(tokens: readonly IToken[], opens: ReadonlySet<TokenType>, closes: ReadonlySet<TokenType>): Int32Array {
  const match = new Int32Array(tokens.length).fill(-1);
  const stack: number[] = [];
  tokens.forEach((token, i) => {
    if (opens.has(token.tokenType)) stack.push(i);
    else if (closes.has(token.tokenType) && stack.length > 0) {
      const j = stack.pop()!;
      match[j] = i;
      match[i] = j;
    }
  });
  return match;
}

/**
 * Whether a token can end an operand, so that what follows is an infix operator (`A\b`) or a
 * closing bar (`|x|`). Closing bars were re-typed to `)` by the pass that paired them.
 */
export function endsOperand(token: IToken): boolean {
  const name = token.tokenType.name;
  return ['IdentifierRun', 'Name', 'NumberLiteral', 'Eye', 'RParen', 'RAngle', 'Transpose', 'Superscript', 'Subscript', 'Group', 'OnesSymbol'].includes(name);
}
