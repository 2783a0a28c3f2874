import type { CstNode, IToken } from '../../grammar/chevrotain.js';
import { Minus, NumberLiteral, Plus } from '../../grammar/tokens.js';
import { span } from '../diagnostics/span.js';
import type { Ast } from './ast.js';
import { nodes, tokens, tokenSpan, type Children, type Visit } from './cst-reading.js';

/*
 * The groupings the AST builder (cst-to-ast.ts) refuses because readers split on them: `1/2xᵀx`
 * after a non-number, `sin x cos x`, `a^bc`. Each refusal names both readings and what to write.
 * Apart from the visitor because none of them builds a node: they only look at the CST and the text.
 */

/** `xᵀAx/2xᵀx`: a number denominator glued to what follows, after a numerator that is not a number. */
export function ambiguousFraction(visit: Visit, left: Ast, denominator: readonly { ast: Ast }[], rest: readonly { ast: Ast }[]): never {
  const text = (from: number, to: number): string => visit.source.text.slice(from, to);
  const num = text(left.span.start, left.span.end);
  const den = text(denominator[0]!.ast.span.start, denominator[denominator.length - 1]!.ast.span.end);
  const after = text(rest[0]!.ast.span.start, rest[rest.length - 1]!.ast.span.end);
  const readings = `(${num}/${den})${after} or ${num}/(${den}${after})`;
  const at = span(left.span.start, rest[rest.length - 1]!.ast.span.end);
  visit.fail('syntax/ambiguous-grouping', at, text(at.start, at.end), readings, `write ${num}/${den} ${after} (with a space) or the brackets of the reading you mean`);
}

/** `sin x cos x`: a bare function word inside the scope of another. */
export function ambiguousScope(visit: Visit, open: { readonly prefixes: readonly IToken[] }, inner: IToken): never {
  const outer = open.prefixes.find((p) => p.tokenType !== Plus && p.tokenType !== Minus) ?? inner;
  const at = span(outer.startOffset, tokenSpan(inner).end);
  const [f, g] = [outer.image, inner.image];
  visit.fail('syntax/ambiguous-grouping', at, visit.source.text.slice(at.start, at.end) + ' …', `${f}(…)·${g}(…) or ${f}(… ${g}(…))`, `'${f}' without brackets takes the rest of the product, '${g}' included; write ${f}(…) ${g}(…) for the product or ${f}(… ${g}(…)) for one inside the other`);
}

/**
 * `a^bc`, `e^-xᵀx`, `e^-x²`: an exponent without brackets is one atom, so what is glued to a
 * name exponent (another factor, a transpose, a superscript) is outside the exponent — but many
 * readers put it inside. Refused with both bracketings; a space (`a^b c`) or brackets
 * (`e^(-x²)`) decide. `X^T…` (the transpose), number exponents (`x^2y` is (x²)·y, as matcalc
 * prints it) and bracketed exponents are never ambiguous.
 */
export function checkExponentEnd(visit: Visit, factor: Children, next: CstNode | undefined): void {
  const operators = factor['postfixOperator'] as CstNode[] | undefined;
  if (operators === undefined) return; // most factors: nothing to check, nothing to allocate
  const links = operators.map((n) => n.children as Children);
  for (let k = 0; k < links.length; k++) {
    const after = links[k + 1];
    const glued = after === undefined ? startOf(next) : tokens(after, 'Transpose')[0] ?? tokens(after, 'Superscript')[0];
    if (glued === undefined) continue;
    const exponent = bareExponent(links[k]!);
    if (exponent === undefined || glued.startOffset !== exponent.end) continue;
    // In LaTeX a superscript without braces is one token, so a command after it is outside: `a^b\log a`.
    if (visit.source.text[glued.startOffset] === '\\') continue;
    // A number exponent ends at the number: X^-1' is (X⁻¹)ᵀ, and x^2y is (x²)·y as matcalc prints it (s^0.5a).
    if (exponent.number) continue;
    const gluedEnd = after === undefined ? visit.postfix(next!.children as Children).span.end : tokenSpan(glued).end;
    const text = visit.source.text;
    const base = text.slice(startOf({ children: factor } as CstNode)!.startOffset, exponent.opStart);
    const power = text.slice(exponent.opStart, exponent.end);
    const rest = text.slice(exponent.end, gluedEnd);
    const exponentText = text.slice(exponent.opEnd, exponent.end);
    const readings = `(${base}${power})${rest} or ${base}${text.slice(exponent.opStart, exponent.opEnd)}(${exponentText}${rest})`;
    visit.fail('syntax/ambiguous-grouping', span(exponent.opStart, gluedEnd), base + power + rest, readings, `an exponent without brackets is one atom; write ${readings} to say which`);
  }
}

/** The exponent of a power link when it is a bare name or number (not `T`), with the operator's offsets. */
function bareExponent(link: Children): { opStart: number; opEnd: number; end: number; number: boolean } | undefined {
  const operator = tokens(link, 'PowerOperator')[0];
  const atom = nodes(link, 'atom')[0];
  if (operator === undefined || atom === undefined) return undefined;
  const children = atom.children as Children;
  const token = tokens(children, 'Name')[0] ?? tokens(children, 'NumberLiteral')[0];
  // `T` by its reading, not its text: LaTeX's `X^\top` reads as the exponent T too.
  if (token === undefined || (token.payload === 'T' && tokens(children, 'Name').length > 0)) return undefined;
  return { opStart: operator.startOffset, opEnd: tokenSpan(operator).end, end: tokenSpan(token).end, number: token.tokenType === NumberLiteral && /^[0-9.]/.test(token.image) };
}

/** The first token of a factor (its first bare function or sign, else its atom). */
function startOf(factor: CstNode | undefined): IToken | undefined {
  if (factor === undefined) return undefined;
  const children = factor.children as Children;
  const candidates = [...tokens(children, 'prefix'), ...tokens(children, 'prefixSign')];
  for (const key of ['Name', 'NumberLiteral', 'Eye', 'PatternVariable', 'Group', 'LParen', 'FunctionName', 'LAngle', 'Bar']) candidates.push(...tokens(children, key));
  return candidates.sort((a, b) => a.startOffset - b.startOffset)[0];
}
