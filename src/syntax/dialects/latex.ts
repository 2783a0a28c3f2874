/**
 * LaTeX, as pasted from papers and from matcalc's own `--format latex`: commands, braces and
 * subscripts become the canonical tokens. `x^\top A x` → x ^ T A x, `\frac{1}{2}` → ((1)/(2)),
 * `X^{-1}` → X ^ -1, `\langle A, X \rangle` → ⟨A, X⟩, `\mathbf{x}` → x, `W_{1}` → W_1, `\lVert`
 * → ‖, `\sigma(` → sigmoid(, `\alpha` → α. Every table in latex-commands.ts is the whole policy;
 * the code here only walks the tokens once, left to right.
 *
 * A backslash word this file does not know is left alone: after an operand it is MATLAB's left
 * division (`A\b`, matlab.ts), otherwise an unknown command. So a LaTeX command always wins:
 * `A\beta` is A·β.
 *
 * The commands that wrap an argument (`\mathbf{x}`, `\hat{y}`) are read in latex-wrappers.ts.
 */
import type { IToken } from '../../../grammar/chevrotain.js';
import {
  Ampersand,
  Backslash,
  Bar,
  Caret,
  DotCaret,
  FunctionName,
  IdentifierRun,
  LBrace,
  LBracket,
  LParen,
  MathShift,
  Minus,
  Newline,
  NumberLiteral,
  RAngle,
  RBrace,
  Semicolon,
  Comma,
  RParen,
  Slash,
  Subscript,
  Transpose,
  Underscore,
} from '../../../grammar/tokens.js';
import { covering, end, matchBrackets, retyped, runReadingAs, runText, zeroWidth, type DialectContext, type DialectPass } from './edit.js';
import { stackBracket } from './latex-commands.js';
import { readAccent, readWrapper, type LatexHost } from './latex-wrappers.js';
import {
  LATEX_ACCENTS,
  LATEX_FUNCTIONS,
  LATEX_GREEK,
  LATEX_IGNORED,
  LATEX_IGNORED_WITH_ARGUMENT,
  LATEX_SYMBOLS,
  LATEX_UNSUPPORTED,
  LATEX_WRAPPERS,
  LOG_BASES,
} from './latex-commands.js';

export { LATEX_ACCENTS, LATEX_FUNCTIONS, LATEX_GREEK, LATEX_IGNORED, LATEX_IGNORED_WITH_ARGUMENT, LATEX_SYMBOLS, LATEX_UNSUPPORTED, LATEX_WRAPPERS, latexHint } from './latex-commands.js';

export const translateLatex: DialectPass = (tokens, context) => {
  const inner = withoutMathShifts(tokens, context);
  if (!inner.some((t) => t.tokenType === Backslash || t.tokenType === LBrace || t.tokenType === Underscore)) return inner;
  return new LatexReader(inner, context).read();
};

/** `$…$` and `$$…$$` around the whole input are dropped; a `$` anywhere else is an unknown character. */
function withoutMathShifts(tokens: IToken[], context: DialectContext): IToken[] {
  if (!tokens.some((t) => t.tokenType === MathShift)) return tokens;
  const first = tokens.findIndex((t) => t.tokenType !== Newline);
  let last = tokens.length - 1;
  while (last > 0 && tokens[last]!.tokenType === Newline) last--;
  return tokens.filter((t, i) => {
    if (t.tokenType !== MathShift) return true;
    if (i !== first && i !== last) context.report('syntax/unknown-character', { start: t.startOffset, end: t.startOffset + 1 }, '$');
    return false;
  });
}

class LatexReader {
  readonly #out: IToken[] = [];
  readonly #braces: Int32Array;
  /** RBrace indices whose braces were only grouping for a command (`^{-1}`, `\mathbf{x}`). */
  readonly #drop = new Set<number>();
  /** Zero-width tokens to emit after an index is read (`\frac`'s slash and closing parenthesis). */
  readonly #after = new Map<number, IToken[]>();
  /** What the readers of wrapping commands (latex-wrappers.ts) work on. */
  readonly #host: LatexHost;

  constructor(
    private readonly tokens: IToken[],
    private readonly context: DialectContext,
  ) {
    this.#braces = matchBrackets(tokens, new Set([LBrace]), new Set([RBrace]));
    this.#host = {
      tokens,
      out: this.#out,
      context,
      groupEnd: (i) => this.#groupEnd(i),
      inExponent: () => this.#inExponent(),
      dropBrace: (i) => this.#drop.add(i),
      refuse: (token, what, advice) => this.#refuse(token, what, advice),
    };
  }

  read(): IToken[] {
    const tokens = this.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      const type = token.tokenType;
      if (this.#drop.has(i)) {
        // a dropped grouping brace
      } else if (type === Backslash) i = this.#command(i);
      else if (type === LBrace) this.#out.push(retyped(token, LParen));
      else if (type === RBrace) this.#out.push(retyped(token, RParen));
      else if (type === Ampersand && this.#matrices > 0) this.#out.push(retyped(token, Comma));
      else if (type === Caret) i = this.#caret(i);
      else if (type === Underscore) i = this.#subscript(i);
      else if (type === Subscript && this.#mergesWithRun(token)) this.#mergeSubscript(end(token), token.image.slice(1));
      else if (type === Subscript && this.#normExponentBefore() !== undefined) this.#out.splice(this.#normExponentBefore()!, 0, token);
      else this.#out.push(token);
      const extra = this.#after.get(i);
      if (extra !== undefined) this.#out.push(...extra);
    }
    return this.#out;
  }

  /** How many matrix environments are open: `\\` and `&` separate rows and entries inside one. */
  #matrices = 0;

  /** `\begin{bmatrix}` … `\end{bmatrix}`: a stack's brackets (latex-commands.ts, stackBracket). */
  #environment(i: number, begin: boolean): number {
    const close = this.#groupEnd(i + 1);
    const bracket = stackBracket(this.tokens.slice(i, close + 1), begin, this.context);
    if (bracket !== undefined) {
      this.#matrices = Math.max(0, this.#matrices + (begin ? 1 : -1));
      this.#out.push(bracket);
    }
    return close;
  }

  /** The index of the last token of the group starting at i: a `{…}` or one token. */
  #groupEnd(i: number): number {
    return this.tokens[i]?.tokenType === LBrace && this.#braces[i]! >= 0 ? this.#braces[i]! : i;
  }

  /** Whether the output so far ends in `^` or `^-`: a `\top` there is the exponent T. */
  #inExponent(): boolean {
    const last = this.#out[this.#out.length - 1];
    const before = this.#out[this.#out.length - 2];
    return last?.tokenType === Caret || (last?.tokenType === Minus && before?.tokenType === Caret);
  }

  #command(i: number): number {
    const token = this.tokens[i]!;
    const name = token.image.slice(1);
    const next = this.tokens[i + 1];
    const source = this.context.source;
    if (LATEX_IGNORED.has(name)) return i;
    // `\ ` is LaTeX's control space (`,\ ` between where-definitions), in LaTeX input only: a bare
    // backslash with no command anywhere is MATLAB's left division (`A \ b`).
    if (name === '' && /\s/.test(source.text.charAt(end(token))) && this.tokens.some((t) => t.tokenType === Backslash && t.image.length > 1)) return i;
    if (LATEX_IGNORED_WITH_ARGUMENT.has(name)) return this.#groupEnd(i + 1);
    if (name === '(') return this.#out.length > 0 ? (this.#out.push(token), i) : i; // `A\(b)`: MATLAB decides
    if (name === 'sigma') {
      const call = next?.tokenType === LParen || (next?.tokenType === Backslash && next.image === '\\left');
      this.#out.push(call ? retyped(token, FunctionName, 'sigmoid') : runReadingAs(source, token.startOffset, end(token), 'σ'));
      return i;
    }
    const greek = LATEX_GREEK[name];
    if (greek !== undefined) return this.#out.push(runReadingAs(source, token.startOffset, end(token), greek)), i;
    const symbol = LATEX_SYMBOLS[name];
    if (symbol === Transpose && this.#inExponent()) return this.#out.push(runReadingAs(source, token.startOffset, end(token), 'T')), i;
    if (symbol !== undefined) return this.#out.push(retyped(token, symbol)), i;
    const fn = LATEX_FUNCTIONS[name];
    if (fn !== undefined) {
      if (fn === 'sqrt' && next?.tokenType === LBracket) return this.#refuse(token, `the n-th root ${token.image}[…]`, ': write x^(1/n) for a scalar, or sqrt(x)'), i;
      if (fn === 'log' && (next?.tokenType === Subscript || next?.tokenType === Underscore)) return this.#logBase(i);
      return this.#out.push(retyped(token, FunctionName, fn)), i;
    }
    if (name === 'frac' || name === 'dfrac' || name === 'tfrac') return this.#fraction(i);
    if (LATEX_WRAPPERS.has(name)) return readWrapper(this.#host, i);
    if (name in LATEX_ACCENTS) return readAccent(this.#host, i, LATEX_ACCENTS[name]!);
    if (name === 'begin' || name === 'end') return this.#environment(i, name === 'begin');
    if (name === '\\') {
      if (this.#matrices > 0) this.#out.push(retyped(token, Semicolon));
      else this.context.report('syntax/stacking', this.#spanOf(token), "'\\\\' separates rows only inside \\begin{bmatrix} … \\end{bmatrix}", 'write the stack as \\begin{bmatrix} f \\\\ g \\end{bmatrix}');
      return i;
    }
    const refusal = LATEX_UNSUPPORTED[name];
    if (refusal !== undefined) return this.#refuse(token, `'${token.image}'`, refusal), i;
    this.#out.push(token); // unknown: MATLAB's left division or an unknown command (matlab.ts)
    return i;
  }

  /** `\log_2`, `\log_{10}`, `\log_e`: the logarithm to that base; any other base is refused with how to write it. */
  #logBase(i: number): number {
    const token = this.tokens[i]!;
    const next = this.tokens[i + 1]!;
    const last = next.tokenType === Subscript ? i + 1 : this.#groupEnd(i + 2);
    const inside = next.tokenType === Subscript ? [next] : this.tokens[i + 2]?.tokenType === LBrace ? this.tokens.slice(i + 3, last) : this.tokens.slice(i + 2, last + 1);
    const base = inside.map((t) => (t.tokenType === IdentifierRun ? runText(t) : t.image)).join('').replace(/^_/, '');
    const fn = LOG_BASES[base];
    if (fn === undefined) {
      this.#refuse(token, `the logarithm to base ${base === '' ? '?' : base}`, `: write \\log(x)/\\log(${base === '' ? 'b' : base}); \\log_2, \\log_{10} and \\ln are known`);
      return last;
    }
    this.#out.push(covering(FunctionName, this.context.source, token.startOffset, end(this.tokens[last]!), fn));
    return last;
  }

  #refuse(token: IToken, what: string, advice: string): void {
    this.context.report('syntax/unsupported-notation', this.#spanOf(token), what, advice);
  }

  #spanOf(token: IToken): { start: number; end: number } {
    return { start: token.startOffset, end: end(token) };
  }

  /** `\frac{a}{b}` → ((a)/(b)); `\frac12` → (1/2). */
  #fraction(i: number): number {
    const token = this.tokens[i]!;
    const next = this.tokens[i + 1];
    if (next?.tokenType === NumberLiteral && /^\d\d$/.test(next.image)) {
      const at = next.startOffset;
      this.#out.push(retyped(token, LParen), covering(NumberLiteral, this.context.source, at, at + 1), zeroWidth(Slash, at + 1));
      this.#out.push(covering(NumberLiteral, this.context.source, at + 1, at + 2), zeroWidth(RParen, at + 2));
      return i + 1;
    }
    const numerator = this.#groupEnd(i + 1);
    const denominator = this.#groupEnd(numerator + 1);
    if (next === undefined || numerator + 1 >= this.tokens.length) {
      this.#refuse(token, `'${token.image}' without a numerator and a denominator`, `: write ${token.image}{a}{b}`);
      return i;
    }
    this.#out.push(retyped(token, LParen));
    this.#wrapInParentheses(i + 1, numerator);
    this.#addAfter(numerator, zeroWidth(Slash, end(this.tokens[numerator]!)));
    this.#wrapInParentheses(numerator + 1, denominator);
    this.#addAfter(denominator, zeroWidth(RParen, end(this.tokens[denominator]!)));
    return i;
  }

  /** A one-token group `\frac1x` gets parentheses; a `{…}` group already reads as (…). */
  #wrapInParentheses(start: number, last: number): void {
    if (this.tokens[start]!.tokenType === LBrace) return;
    const token = this.tokens[start]!;
    // Emitted before the token is read: the token itself follows in the main loop.
    this.#addBefore(start, zeroWidth(LParen, token.startOffset));
    this.#addAfter(last, zeroWidth(RParen, end(this.tokens[last]!)));
  }

  #addAfter(i: number, token: IToken): void {
    const list = this.#after.get(i) ?? [];
    list.push(token);
    this.#after.set(i, list);
  }

  #addBefore(i: number, token: IToken): void {
    // Tokens "before i" are emitted after i - 1, which the loop has not read yet when this is called.
    this.#addAfter(i - 1, token);
  }

  /**
   * `^`: `^{\circ 2}` is the element-wise power (.^2, matcalc's own output); `^{-1}`, `^{\top}`, `^{2}`
   * lose their braces (one exponent: X^-1, X^T); other braces group as parentheses (`x^{n+1}`).
   */
  #caret(i: number): number {
    const caret = this.tokens[i]!;
    const open = this.tokens[i + 1];
    if (open?.tokenType !== LBrace || this.#braces[i + 1]! < 0) return this.#out.push(caret), i;
    const close = this.#braces[i + 1]!;
    const first = this.tokens[i + 2];
    const source = this.context.source;
    if (first?.tokenType === Backslash && first.image === '\\circ') {
      this.#out.push(covering(DotCaret, source, caret.startOffset, end(first)), zeroWidth(LParen, end(first)));
      return i + 2;
    }
    if (first?.tokenType === LParen && this.tokens[close - 1]?.tokenType === RParen) {
      // `W^{(l)}`, `x^{(i)}`: a layer or sample index in papers, never a power.
      const at = { start: caret.startOffset, end: end(this.tokens[close]!) };
      const text = source.text.slice(at.start, at.end);
      this.context.report('syntax/unsupported-notation', at, `the superscript index '${text}'`, ': write an indexed name such as W1 or x_i (a parenthesised superscript is not read as a power; write ^(k) outside braces for one)');
      return close;
    }
    if (this.#isOneExponent(i + 2, close)) {
      this.#out.push(covering(Caret, source, caret.startOffset, end(open)));
      this.#drop.add(close);
      return i + 1;
    }
    this.#out.push(caret);
    return i;
  }

  /** Whether tokens [from, close) are one optionally signed atom: `-1`, `\top`, `T`, `\mathsf{T}`, `2`. */
  #isOneExponent(from: number, close: number): boolean {
    let start = from;
    if (this.tokens[start]?.tokenType === Minus) start++;
    if (start === close - 1) return true;
    const head = this.tokens[start];
    return head?.tokenType === Backslash && this.tokens[start + 1]?.tokenType === LBrace && this.#braces[start + 1] === close - 1;
  }

  /** `_`: after a name, its subscript (`W_{1}`, `x_{i}`); after a norm, the norm's (`\|x\|_{2}`). */
  #subscript(i: number): number {
    const underscore = this.tokens[i]!;
    const last = this.#groupEnd(i + 1);
    const braced = this.tokens[i + 1]?.tokenType === LBrace;
    const inside = braced ? this.tokens.slice(i + 2, last) : this.tokens.slice(i + 1, last + 1);
    const text = inside.map((t) => (t.tokenType === Backslash ? (LATEX_GREEK[t.image.slice(1)] ?? '?') : t.tokenType === IdentifierRun ? runText(t) : t.image)).join('');
    const previous = this.#out[this.#out.length - 1];
    if (inside.some((t) => t.image === '\\infty')) {
      this.#refuse(underscore, 'the max-norm ‖x‖_∞', ': write ‖x‖ (norm2) or ‖x‖_1 (norm1)');
      return last;
    }
    if (text === '*' && (previous?.tokenType === Bar || previous?.tokenType === RAngle)) {
      // `\|X\|_*`: the nuclear norm's subscript.
      this.#out.push(covering(Subscript, this.context.source, underscore.startOffset, end(this.tokens[last]!), text));
      return last;
    }
    if (inside.length > 0 && /^[\p{L}0-9]+$/u.test(text)) {
      if (previous?.tokenType === IdentifierRun) {
        this.#mergeSubscript(end(this.tokens[last]!), text);
        return last;
      }
      if (previous?.tokenType === Bar || previous?.tokenType === RAngle) {
        this.#out.push(covering(Subscript, this.context.source, underscore.startOffset, end(this.tokens[last]!), text));
        return last;
      }
      const caret = this.#normExponentBefore();
      if (caret !== undefined) {
        this.#out.splice(caret, 0, covering(Subscript, this.context.source, underscore.startOffset, end(this.tokens[last]!), text));
        return last;
      }
    }
    this.#out.push(underscore); // the parser reports the stray '_'
    return i;
  }

  /** `\|x\|^2_2`: a norm's subscript written after its exponent goes before it. */
  #normExponentBefore(): number | undefined {
    const out = this.#out;
    const n = out.length;
    if (n >= 3 && out[n - 1]!.tokenType === NumberLiteral && out[n - 2]!.tokenType === Caret && out[n - 3]!.tokenType === Bar) return n - 2;
    return undefined;
  }

  /** A lexed `_1` directly after a run that a command produced (`\theta_1`, `\mathbf{W}_1`). */
  #mergesWithRun(subscript: IToken): boolean {
    const previous = this.#out[this.#out.length - 1];
    return previous?.tokenType === IdentifierRun && end(previous) === subscript.startOffset && subscript.image.startsWith('_');
  }

  #mergeSubscript(stop: number, text: string): void {
    const run = this.#out.pop()!;
    this.#out.push(runReadingAs(this.context.source, run.startOffset, stop, `${runText(run)}_${text}`));
  }
}
