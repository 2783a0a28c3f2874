/**
 * The lecture notes' notation (../shared/seeds/), after the other dialects have had their turn:
 *
 *   - definitions after the expression: `⟨Y, MY⟩, Y = σ(WX)` and `… where Y = σ(WX)` are read as
 *     `Y = σ(WX); ⟨Y, MY⟩`, so the splitter knows Y when it reads `MY` (M·Y);
 *   - `|x|` is abs(x) (a single bar; `||` and `‖` are norms), `√x` is sqrt x;
 *   - a transposed `1` is the ones vector (`1ᵀx`, `1^T A 1`…: a transposed number means nothing else);
 *   - `⟨A, B⟩_F` is ⟨A, B⟩ (the Frobenius inner product is the one matcalc has);
 *   - `[f; g]` and `[f, g]ᵀ` are stacks, read by the bracket pass (stack-literal.ts); `tr[X]` is refused.
 */
import { tokenMatcher, type IToken } from '../../../grammar/chevrotain.js';
import {
  Bar,
  Caret,
  Comma,
  Equals,
  Eye,
  FunctionName,
  IdentifierRun,
  LAngle,
  LBracket,
  LParen,
  Minus,
  Newline,
  NumberLiteral,
  Pipe,
  PowerOperator,
  RAngle,
  RBracket,
  RParen,
  Radical,
  Semicolon,
  Subscript,
  SumOperator,
  Superscript,
  Transpose,
} from '../../../grammar/tokens.js';
import { FUNCTION_KEYWORDS } from '../identifiers.js';
import { functionAlias } from './spellings.js';
import { end, endsOperand, retyped, runText, zeroWidth, type DialectContext, type DialectPass } from './edit.js';

/** At most this many trailing definitions are put in the order of their uses. */
const MAX_REORDERED = 64;

/** Words that introduce definitions written after the expression. */
export const TRAILING_DEFINITION_WORDS: ReadonlySet<string> = new Set(['where', 'with']);

export const translateNotes: DialectPass = (tokens, context) => {
  const local = rewriteLocal(functionPowers(tokens, context), context);
  if (!context.program) return local;
  const moved = moveTrailingDefinitions(withoutHead(local));
  refuseStrayWords(moved, context);
  return moved;
};

/** A `where` left over did not start a definition; split into letters it would be w·h·e·r·e. */
function refuseStrayWords(tokens: readonly IToken[], context: DialectContext): void {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (isWord(token)) {
      const word = runText(token);
      context.report('syntax/unsupported-notation', { start: token.startOffset, end: end(token) }, `'${word}' without a definition after it`, `: write ${word} Y = …, or define first: Y = …; f`);
    }
  }
}

/**
 * `f(x) = xᵀAx`, `\mathcal{L}(\theta) = …`: a one-statement input that names the function it defines,
 * with its arguments, is that function. Only when nothing else is a statement, so `Y = σ(WX); ⟨Y, MY⟩`
 * keeps its definition; a lone `Y = …` stays an error ("expected an expression after the definitions").
 */
function withoutHead(tokens: IToken[]): IToken[] {
  if (tokens[0]?.tokenType !== IdentifierRun || tokens[1]?.tokenType !== LParen) return tokens;
  const close = tokens.findIndex((t) => t.tokenType === RParen);
  if (close < 0 || tokens.slice(2, close).some((t) => t.tokenType === LParen)) return tokens;
  const equals = close + 1;
  if (tokens[equals]?.tokenType !== Equals || equals + 1 >= tokens.length) return tokens;
  let depth = 0;
  for (const token of tokens) {
    const type = token.tokenType;
    if (type === LParen || type === LAngle) depth++;
    else if (type === RParen || type === RAngle) depth--;
    else if (depth === 0 && (type === Semicolon || type === Newline)) return tokens;
  }
  return tokens.slice(equals + 1);
}

/** The rewrites that look at a token and its neighbours: bars, roots, ones, subscripts, brackets. */
function rewriteLocal(tokens: readonly IToken[], context: DialectContext): IToken[] {
  const out: IToken[] = [];
  const open: ('pipe' | 'bar' | 'other')[] = [];
  let previousClosedBar = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const type = token.tokenType;
    const previous = out[out.length - 1];
    const afterOperand: boolean = previous !== undefined && (endsOperand(previous) || (previous.tokenType === Bar && previousClosedBar));
    let closedBar = false;
    if (type === Pipe) {
      if (open[open.length - 1] === 'pipe' && afterOperand) {
        open.pop();
        refuseDeterminantBars(out, token, context);
        out.push(retyped(token, RParen));
      } else {
        open.push('pipe');
        out.push(zeroWidth(FunctionName, token.startOffset, 'abs'), retyped(token, LParen));
      }
    } else if (type === Bar) {
      closedBar = open[open.length - 1] === 'bar' && afterOperand;
      if (closedBar) open.pop();
      else open.push('bar');
      out.push(token);
    } else if (type === LParen || type === LAngle) {
      open.push('other');
      out.push(token);
    } else if (type === RParen || type === RAngle) {
      if (open[open.length - 1] === 'other') open.pop();
      out.push(token);
    } else if (type === Radical) {
      out.push(retyped(token, FunctionName, 'sqrt'));
    } else if (type === NumberLiteral && token.image === '1' && isTransposed(tokens, i) && !isExponent(tokens, i)) {
      out.push(retyped(token, Eye, 'ones-vector'));
    } else if (type === Subscript && previous?.tokenType === RAngle && /^_\{?F\}?$|^F$/.test(typeof token.payload === 'string' ? token.payload : token.image)) {
      // ⟨A, B⟩_F: the subscript names the inner product matcalc already means.
    } else if (type === LBracket && previous !== undefined && isFunctionWord(previous)) {
      context.report('syntax/unsupported-notation', { start: token.startOffset, end: end(token) }, `'[' after the function name '${previous.image}'`, `: write ${runTextOf(previous)}(…) with parentheses`);
    } else if (type === LBracket && previous?.tokenType === IdentifierRun && end(previous) === token.startOffset && (isLowercase(runTextOf(previous)) || isIndex(tokens, i))) {
      // `g[x]`, `x[1]`, `A[1]`: a call or an index in other languages, never silently g·[x]. (A matrix
      // name before a stack, `W[x; y]`, is the product.)
      const name = runTextOf(previous);
      context.report('syntax/unsupported-notation', { start: previous.startOffset, end: end(token) }, `'${name}[' (a call or an index)`, `: write ${name}(…) for a function's argument, or ${name}*[…] for a product with a stack; matcalc has no indexing`);
    } else if (type === Caret && tokens[i + 1]?.tokenType === IdentifierRun && runText(tokens[i + 1]!) === 't') {
      // `x^t`: the transpose to some, a power to others (γ^t). Both spellings are refused.
      const t = tokens[i + 1]!;
      context.report('syntax/unsupported-notation', { start: token.startOffset, end: end(t) }, "'^t'", ": write ^T (or ᵀ, ') for the transpose, or ^(t) for the power t");
      out.push(token);
    } else {
      out.push(token);
    }
    previousClosedBar = closedBar;
  }
  return out;
}

/**
 * `|X|` of one matrix name is the determinant in many texts and the entries' absolute values in
 * others: refused, with both spellings.
 */
function refuseDeterminantBars(out: readonly IToken[], close: IToken, context: DialectContext): void {
  const inside = out[out.length - 1];
  const open = out[out.length - 2];
  if (open?.tokenType !== LParen || inside?.tokenType !== IdentifierRun) return;
  const first = runText(inside).charAt(0);
  if (first === first.toLowerCase() || first !== first.toUpperCase()) return;
  const name = runText(inside);
  context.report('syntax/unsupported-notation', { start: open.startOffset, end: end(close) }, `'|${name}|' of a matrix`, `: write det(${name}) for the determinant or abs(${name}) for the absolute values of its entries`);
}

/**
 * `\sin^2(x)`, `tanh^2(x)`, `\log^2(xᵀx)`: the power of the value, (sin(x))². Only with a positive
 * number and a parenthesised argument; `\sin^{-1}` (the inverse function) and `\sin^2 x` are refused.
 */
function functionPowers(tokens: IToken[], context: DialectContext): IToken[] {
  if (!tokens.some((t, i) => (t.tokenType === Caret || t.tokenType === Superscript) && i > 0 && isFunctionWord(tokens[i - 1]!))) return tokens;
  const out: IToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const fn = tokens[i]!;
    const next = tokens[i + 1];
    // `sin²(x)` has the power in one token; `sin^2(x)` in two.
    const superscript = next?.tokenType === Superscript && !next.image.startsWith('⁻');
    if (!(isFunctionWord(fn) && (next?.tokenType === Caret || superscript))) {
      out.push(fn);
      continue;
    }
    const caret = next!;
    const exponent = superscript ? undefined : tokens[i + 2];
    const argument = superscript ? i + 2 : i + 3;
    const close = tokens[argument]?.tokenType === LParen ? matchingParen(tokens, argument) : -1;
    const positive = superscript || exponent?.tokenType === NumberLiteral;
    if (!positive || close < 0) {
      const last = exponent ?? caret;
      const inverse = exponent?.tokenType === Minus;
      context.report('syntax/unsupported-notation', { start: fn.startOffset, end: end(last) }, inverse ? `the inverse function '${runTextOf(fn)}^{-1}'` : `'${runTextOf(fn)}^…' without parentheses`, inverse ? '' : `: write ${runTextOf(fn)}^2(x) with the argument in parentheses, or (${runTextOf(fn)}(x))^2`);
      out.push(fn);
      continue;
    }
    // (fn(arg))^k: the power moves after the call; zero-width parentheses group the call.
    out.push(zeroWidth(LParen, fn.startOffset), fn, ...tokens.slice(argument, close + 1), zeroWidth(RParen, end(tokens[close]!)), caret);
    if (exponent !== undefined) out.push(exponent);
    i = close;
  }
  return out;
}

function matchingParen(tokens: readonly IToken[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    if (tokens[j]!.tokenType === LParen) depth++;
    else if (tokens[j]!.tokenType === RParen && --depth === 0) return j;
  }
  return -1;
}

/** A function name before `[`: `tr[X]` (Mathematica's brackets) is tr(X) misspelt, not a stacked vector. */
function isFunctionWord(token: IToken): boolean {
  if (token.tokenType === FunctionName) return true;
  if (token.tokenType !== IdentifierRun) return false;
  const text = runText(token);
  return (FUNCTION_KEYWORDS as readonly string[]).includes(text) || functionAlias(text) !== undefined;
}

function isLowercase(word: string): boolean {
  const first = word.charAt(0);
  return first === first.toLowerCase() && first !== first.toUpperCase();
}

/** `[1]`: a number alone in brackets, an index. */
function isIndex(tokens: readonly IToken[], i: number): boolean {
  return tokens[i + 1]?.tokenType === NumberLiteral && tokens[i + 2]?.tokenType === RBracket;
}

function runTextOf(token: IToken): string {
  return token.tokenType === IdentifierRun ? runText(token) : token.image;
}

/** `1ᵀ`, `1'`, `1^T`, `1^\top` (already the run T), `1.T`. */
function isTransposed(tokens: readonly IToken[], i: number): boolean {
  const next = tokens[i + 1];
  if (next?.tokenType === Transpose) return true;
  const after = tokens[i + 2];
  return next?.tokenType === Caret && after?.tokenType === IdentifierRun && runText(after) === 'T';
}

/**
 * Whether the token at i is an exponent (`X^-1'`, `x^1ᵀ`): an exponent is one atom, so the
 * transpose after it applies to the power, and the 1 is a number, not the ones vector.
 */
function isExponent(tokens: readonly IToken[], i: number): boolean {
  const before = tokens[i - 1];
  const operator = before !== undefined && tokenMatcher(before, SumOperator) ? tokens[i - 2] : before;
  return operator !== undefined && tokenMatcher(operator, PowerOperator);
}

/**
 * `body, Y = …` or `body where Y = …, Z = …` → `Y = …; Z = …; body`. The separators keep their
 * source text (`,`, `where`) as Semicolon tokens. Only a comma or word at bracket depth 0 that is
 * followed by `name =` starts the definitions, so commas inside ⟨A, B⟩ are never taken.
 */
function moveTrailingDefinitions(tokens: IToken[]): IToken[] {
  const starts = definitionStarts(tokens);
  if (starts.length === 0) return tokens;
  let bodyEnd = starts[0]!.separator;
  // `⟨Y, MY⟩⏎where Y = …`, `⟨Y, MY⟩, where Y = …`: the line break or comma before `where` goes too.
  while (bodyEnd > 0 && (tokens[bodyEnd - 1]!.tokenType === Newline || (tokens[bodyEnd - 1]!.tokenType === Comma && isWord(tokens[bodyEnd]!)))) bodyEnd--;
  const body = tokens.slice(0, bodyEnd);
  const definitions = starts.map((start, k) => {
    const stop = k + 1 < starts.length ? starts[k + 1]!.separator : tokens.length;
    return { separator: tokens[start.separator]!, tokens: tokens.slice(start.separator + 1, stop).filter((t) => t.tokenType !== Newline) };
  });
  const out: IToken[] = [];
  for (const k of usesFirst(definitions.map((d) => d.tokens))) out.push(...definitions[k]!.tokens, retyped(definitions[k]!.separator, Semicolon));
  out.push(...body);
  return out;
}

/**
 * The order to define in: a definition after the ones it uses. Both orders are written — `f where
 * Z = AX, A = BC` (a later definition used by an earlier one, as in textbooks) and matcalc's own
 * `where T₁ = …, T₂ = …T₁…` — so "uses" is read from the identifier runs of each right-hand side
 * (a run containing the name: runs are not split yet). Source order among independent ones; source
 * order for all when the uses form a cycle.
 */
function usesFirst(definitions: readonly (readonly IToken[])[]): number[] {
  // The search is quadratic in the definitions; a long list (generated input) keeps source order.
  if (definitions.length > MAX_REORDERED) return definitions.map((_, j) => j);
  const names = definitions.map((d) => runText(d[0]!));
  const runs = definitions.map((d) => d.slice(2).filter((t) => t.tokenType === IdentifierRun).map(runText));
  const uses = (j: number, k: number): boolean => j !== k && runs[j]!.some((run) => run.includes(names[k]!));
  const order: number[] = [];
  const placed = new Set<number>();
  while (order.length < definitions.length) {
    const next = definitions.findIndex((_, j) => !placed.has(j) && definitions.every((__, k) => placed.has(k) || !uses(j, k)));
    if (next < 0) return definitions.map((_, j) => j);
    order.push(next);
    placed.add(next);
  }
  return order;
}

function isWord(token: IToken): boolean {
  return token.tokenType === IdentifierRun && TRAILING_DEFINITION_WORDS.has(runText(token));
}

/** The separators (`,` `;` `where` or a line break) at depth 0 that are followed by `name =`, from the first after the body. */
function definitionStarts(tokens: readonly IToken[]): { separator: number }[] {
  const starts: { separator: number }[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const type = tokens[i]!.tokenType;
    if (type === LParen || type === LAngle || type === LBracket) depth++;
    else if ((type === RParen || type === RAngle || type === RBracket) && depth > 0) depth--;
    if (depth !== 0) continue;
    const separates = type === Comma || isWord(tokens[i]!) || (starts.length > 0 && (type === Semicolon || type === Newline));
    const definesNext = tokens[i + 1]?.tokenType === IdentifierRun && tokens[i + 2]?.tokenType === Equals;
    if (separates && definesNext) starts.push({ separator: i });
  }
  return starts;
}
