import type { IToken, TokenType } from '../../../grammar/chevrotain.js';
import { Eye, IdentifierRun, LBrace, NumberLiteral } from '../../../grammar/tokens.js';
import { covering, end, runReadingAs, runText, type DialectContext } from './edit.js';
import { functionAlias, unsupportedFunction } from './spellings.js';
import { LATEX_GREEK, TRANSPOSE_WORDS } from './latex-commands.js';

/*
 * The LaTeX commands that wrap an argument, for the reader in latex.ts: `\mathbf{x}`,
 * `\operatorname{expm}`, `\text{where}` (wrappers) and `\hat{y}` (accents). Apart from the reader
 * because each reads its one argument whole and decides what it stands for; the reader's walk only
 * needs to know where to continue.
 */

/** What the wrappers need from the reader (latex.ts). */
export interface LatexHost {
  readonly tokens: readonly IToken[];
  /** The reader's output so far. */
  readonly out: IToken[];
  readonly context: DialectContext;
  /** The index of the last token of the group starting at i: a `{…}` or one token. */
  groupEnd(i: number): number;
  /** Whether the output so far ends in `^` or `^-`. */
  inExponent(): boolean;
  /** The '}' at index i only grouped an argument: the reader skips it. */
  dropBrace(i: number): void;
  refuse(token: IToken, what: string, advice: string): void;
}

/** `\mathbf{x}` → x, `\mathbf{1}` → the ones vector, `\text{where}` → where; otherwise the argument is read as written. */
export function readWrapper(host: LatexHost, i: number): number {
  const token = host.tokens[i]!;
  const open = i + 1;
  const last = host.groupEnd(open);
  const braced = host.tokens[open]?.tokenType === LBrace;
  const inside = braced ? host.tokens.slice(open + 1, last) : host.tokens.slice(open, last + 1);
  const source = host.context.source;
  const whole = (payload: unknown, type: TokenType) => covering(type, source, token.startOffset, end(host.tokens[last]!), payload);
  if (inside.length === 1 && inside[0]!.tokenType === NumberLiteral && (inside[0]!.image === '1' || inside[0]!.image === '0')) {
    host.out.push(whole(inside[0]!.image === '1' ? 'ones-vector' : 'zeros', Eye));
    return last;
  }
  if (token.image === '\\mathbb' && inside.length === 1 && ['E', 'P'].includes(inside[0]!.image)) {
    host.refuse(token, `the expectation or probability '${source.text.slice(token.startOffset, end(host.tokens[last]!))}'`, ': write the function of one sample');
    return last;
  }
  if (inside.length === 1 && inside[0]!.tokenType === IdentifierRun && runText(inside[0]!) === 'where') {
    host.out.push(runReadingAs(source, token.startOffset, end(host.tokens[last]!), 'where'));
    return last;
  }
  const underscored = underscoredWord(inside);
  if (underscored !== undefined || (inside.length === 1 && inside[0]!.tokenType === IdentifierRun)) {
    // A wrapped function word (`\operatorname{expm}`, `\operatorname{expm\_frechet}`) is checked here.
    const word = underscored ?? runText(inside[0]!);
    if (host.inExponent() && TRANSPOSE_WORDS.has(word)) {
      host.out.push(runReadingAs(source, token.startOffset, end(host.tokens[last]!), 'T'));
      return last;
    }
    if (functionAlias(word) === undefined && unsupportedFunction(word) !== undefined) {
      host.refuse(token, `'${word}'`, unsupportedFunction(word)!);
      return last;
    }
    // The whole command reads as the word, so that a subscript after it joins it (`\\mathbf{W}_1`).
    host.out.push(runReadingAs(source, token.startOffset, end(host.tokens[last]!), word));
    return last;
  }
  if (inside.length === 0) return last;
  if (braced) host.dropBrace(last);
  return braced ? open : i; // the argument is read by the main loop, without its braces
}

/** `\hat{y}` → ŷ (one name): the argument must be one letter. */
export function readAccent(host: LatexHost, i: number, mark: string): number {
  const token = host.tokens[i]!;
  const last = host.groupEnd(i + 1);
  const braced = host.tokens[i + 1]?.tokenType === LBrace;
  const inside = braced ? host.tokens.slice(i + 2, last) : host.tokens.slice(i + 1, last + 1);
  const only = inside.length === 1 ? inside[0]! : undefined;
  const letter = only === undefined ? undefined : only.tokenType === IdentifierRun ? runText(only) : LATEX_GREEK[only.image.slice(1)];
  if (letter === undefined || [...letter].length !== 1) {
    host.refuse(token, `'${token.image}' over more than one letter`, `: write ${token.image}{y} for one name`);
    return last;
  }
  host.out.push(runReadingAs(host.context.source, token.startOffset, end(host.tokens[last]!), (letter + mark).normalize('NFC')));
  return last;
}

/**
 * The word of `expm\_frechet` inside `\operatorname{…}`: identifier runs joined by the escaped
 * underscore `\_` (KaTeX's spelling of a literal underscore, as matcalc prints such names).
 */
function underscoredWord(inside: readonly IToken[]): string | undefined {
  if (inside.length < 3 || inside.length % 2 === 0) return undefined;
  const words: string[] = [];
  for (let k = 0; k < inside.length; k++) {
    const t = inside[k]!;
    if (k % 2 === 0 && t.tokenType === IdentifierRun) words.push(runText(t));
    else if (k % 2 === 1 && t.image === '\\_' && t.startOffset === end(inside[k - 1]!) && end(t) === inside[k + 1]!.startOffset) continue;
    else return undefined;
  }
  return words.join('_');
}
