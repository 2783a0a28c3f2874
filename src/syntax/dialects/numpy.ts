/**
 * NumPy, PyTorch and JAX expressions, as written in notebooks and as matcalc prints them
 * (`function.numpy`): `x.T @ A @ x`, `np.log(np.linalg.det(X))`, `(x**2).sum()`,
 * `torch.sigmoid(W @ x)`, `float(np.asarray(…).reshape(()))`, `(_t1 := X @ w)` … `_t1`.
 *
 * An input is NumPy when it uses `@`, a module name (`np.`, `torch.`, …), an attribute (`x.T`,
 * `.sum()`) or `:=`. Then, as in Python, `*` and `/` are element-wise (⊙, ⊘), `**` is the
 * element-wise power, and a word is one name (`lam` is a variable, never l·a·m). Calls are
 * rewritten when their closing parenthesis is read, so nested calls need no recursion.
 */
import { isOpName, opDeclaration } from '../../term/ops.js';
import { NORM_CALLS } from './numpy-spellings.js';
import type { IToken } from '../../../grammar/chevrotain.js';
import { ColonEquals, Comma, Equals, Semicolon, Dot, DotSlash, DotStar, Eye, FunctionName, IdentifierRun, LBracket, LParen, Name, NumberLiteral, RBracket, RParen, Slash, Star, Subscript, Transpose } from '../../../grammar/tokens.js';
import { canonicalName, closestName, FUNCTION_KEYWORDS } from '../identifiers.js';
import { covering, end, retyped, runReadingAs, runText, zeroWidth, type DialectContext, type DialectPass } from './edit.js';
import { functionAlias, unsupportedFunction } from './spellings.js';
import { CONSTANT_ARGUMENT, CONSTANT_CALL, normalise, PYTHON_FUNCTIONS, PYTHON_METHODS, PYTHON_ROOTS, type Translation } from './numpy-spellings.js';
import { isPython } from './numpy-tokens.js';
import { matchingParen, readMethod, type MethodHost } from './numpy-methods.js';
import { AXIS_CALLS, hasAxisArguments } from './numpy-axes.js';
import { readReshape, type ReshapeReading } from './numpy-reshape.js';
import { checkArity, readAlongAxis, readConcatenateAxis, readConstantArgument, readNormOrder, readTemplate, type OpenCall } from './numpy-calls.js';

/*
 * This module is the reader; the vocabulary it translates is in numpy-spellings.ts, its questions
 * about the token stream in numpy-tokens.ts, methods after an operand in numpy-methods.ts and what
 * a finished call becomes in numpy-calls.ts.
 */

export { PYTHON_FUNCTIONS, PYTHON_METHODS, PYTHON_MODULES } from './numpy-spellings.js';
export { isPython, operandStart } from './numpy-tokens.js';

export const translatePython: DialectPass = (tokens, context) => {
  if (!isPython(tokens)) return tokens;
  return new PythonReader(tokens, context).read();
};

/** Calls whose one argument is a list of blocks, which may be written as a tuple: np.concatenate((x, y)). */
const TUPLE_CALLS: ReadonlySet<string> = new Set(['np.concatenate', 'torch.cat', 'torch.concatenate', 'np.vstack', 'torch.vstack', 'np.stack', 'torch.stack', 'np.block']);

class PythonReader {
  readonly #out: IToken[] = [];
  readonly #open: OpenCall[] = [];
  /** `_t1 := …`: the tokens each walrus name stands for. */
  readonly #bound = new Map<string, IToken[]>();
  /** What the reader of method calls (numpy-methods.ts) works on. */
  readonly #host: MethodHost;
  /** A reshape read as vec or unvec (numpy-reshape.ts): input tokens to drop, tokens to add before others. */
  readonly #skip = new Set<number>();
  readonly #before = new Map<number, IToken[]>();

  constructor(
    private readonly tokens: IToken[],
    private readonly context: DialectContext,
  ) {
    this.#host = {
      tokens,
      out: this.#out,
      context,
      openOperandGroup: (i) => this.#openParen(i, undefined, undefined, undefined, true),
    };
  }

  read(): IToken[] {
    const tokens = this.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      const type = token.tokenType;
      const before = this.#before.get(i);
      if (before !== undefined) this.#out.push(...before);
      if (this.#skip.has(i)) continue;
      if (type === IdentifierRun) {
        const keyword = this.#dtype(i);
        i = keyword >= 0 ? keyword : this.#word(i);
      }
      else if (type === Dot) i = readMethod(this.#host, i);
      else if (type === LParen && this.#startsTuple()) this.#openList(i, true);
      else if (type === RParen && this.#lists[this.#lists.length - 1]?.tuple === true && this.#lists[this.#lists.length - 1]!.calls === this.#open.length) this.#closeList(token);
      else if (type === LParen) i = this.#openParen(i, undefined, undefined, undefined);
      else if (type === RParen) this.#closeParen(token, tokens[i + 1]);
      else if (type === Comma && this.#lists.length > 0 && this.#lists[this.#lists.length - 1]!.calls === this.#open.length) {
        this.#out.push(retyped(token, this.#lists[this.#lists.length - 1]!.row ? Comma : Semicolon));
      } else if (type === Comma && this.#open.length > 0) {
        this.#open[this.#open.length - 1]!.commas.push(this.#out.length);
        this.#out.push(token);
      } else if (type === Star && token.image === '*') this.#out.push(retyped(token, DotStar));
      else if (type === Slash && token.image === '/') this.#out.push(retyped(token, DotSlash));
      else if (type === Subscript && token.image.startsWith('_') && this.#bound.has(token.image)) this.#substitute(token);
      else if (type === LBracket && this.#startsList()) this.#openList(i);
      else if (type === RBracket && this.#lists.length > 0) this.#closeList(token);
      else if (type === LBracket) i = this.#index(i);
      else this.#out.push(token);
    }
    return this.#out;
  }

  /** A word, or a dotted name `np.linalg.inv`; a module name must be followed by a known function. */
  #word(i: number): number {
    const tokens = this.tokens;
    const first = tokens[i]!;
    let last = i;
    let name = runText(first);
    // `np.linalg.inv`: a module root and its dotted words (but `F.T` and `F.t()` are the transpose of
    // a matrix F; `torch.t(X)`, with an argument, is the function, as matcalc's PyTorch code writes vec).
    const transposeMethod = tokens[i + 2] !== undefined && PYTHON_METHODS.get(runText(tokens[i + 2]!)) === 'transpose' && !(tokens[i + 3]?.tokenType === LParen && tokens[i + 4]?.tokenType !== RParen);
    if (PYTHON_ROOTS.has(name) && !transposeMethod) {
      while (tokens[last + 1]?.tokenType === Dot && tokens[last + 2]?.tokenType === IdentifierRun) {
        name = `${name}.${runText(tokens[last + 2]!)}`;
        last += 2;
      }
    }
    const nextIsParen = tokens[last + 1]?.tokenType === LParen;
    if (last === i && !(name === 'float' && nextIsParen)) return this.#plainWord(i);
    const source = this.context.source;
    const nameSpan = { start: first.startOffset, end: end(tokens[last]!) };
    const normal = normalise(name);
    const along = AXIS_CALLS.get(normal);
    if (along !== undefined && nextIsParen && hasAxisArguments(this.tokens, last + 1)) {
      // `F.softmax(X, dim=-1)`: the row or column form, chosen by the axis when the call closes (numpy-calls.ts).
      return this.#openParen(last + 1, { kind: 'fn', fn: along.rows }, normal, covering(FunctionName, source, nameSpan.start, nameSpan.end, along.rows));
    }
    if ((normal === 'np.reshape' || normal === 'torch.reshape') && nextIsParen) {
      const reading = readReshape(tokens, last + 1, normal, source);
      if (reading !== undefined) return this.#reshape(reading, nameSpan, last + 1);
    }
    const translation = PYTHON_FUNCTIONS.get(normal) ?? (CONSTANT_ARGUMENT.has(normal) ? CONSTANT_CALL : undefined);
    if (translation === undefined) {
      this.#unknown(name, normal, nameSpan);
      return last;
    }
    if (translation.kind === 'refuse') {
      this.context.report('syntax/unsupported-notation', nameSpan, `'${name}'`, translation.advice);
      return last;
    }
    if (translation.kind === 'name') {
      this.#out.push(runReadingAs(source, nameSpan.start, nameSpan.end, translation.text));
      return last;
    }
    if (!nextIsParen) {
      this.context.report('syntax/unsupported-notation', nameSpan, `'${name}' without arguments`, `: call it, as in ${name}(x)`);
      return last;
    }
    if (translation.kind === 'fill') {
      // `np.ones((n, 1))`, `np.eye(X.shape[0])`: the shape comes from the context, the arguments are not read.
      const close = matchingParen(this.tokens, last + 1);
      if (close < 0) return last;
      // `np.ones((n, 1))`, matcalc's own ones vector, is 𝟙 (a column, whatever the context).
      const column = translation.fill === 'ones' && endsWithColumnShape(tokens, close);
      this.#out.push(covering(Eye, source, nameSpan.start, end(tokens[close]!), translation.fill === 'eye' ? undefined : column ? 'ones-vector' : translation.fill));
      return close;
    }
    const nameToken = covering(FunctionName, source, nameSpan.start, nameSpan.end, translation.kind === 'fn' ? translation.fn : undefined);
    return this.#openParen(last + 1, translation, normal, nameToken);
  }

  /** vec or unvec written as matcalc's code writes them (numpy-reshape.ts): the plan is followed by read(). */
  #reshape(reading: ReshapeReading, nameSpan: { start: number; end: number }, open: number): number {
    for (const i of reading.skip) this.#skip.add(i);
    for (const [i, list] of reading.before) this.#before.set(i, [...(this.#before.get(i) ?? []), ...list]);
    if (reading.transposed) this.#out.push(zeroWidth(LParen, nameSpan.start));
    const nameToken = covering(FunctionName, this.context.source, nameSpan.start, nameSpan.end, reading.fn);
    return this.#openParen(open, { kind: 'fn', fn: reading.fn }, reading.fn, nameToken, false, reading.transposed);
  }

  /**
   * `, dtype=torch.float64` (matcalc's own PyTorch output) and `, compute_expm=False` (its NumPy
   * output of scipy.linalg.expm_frechet, which then returns L alone): keyword arguments that change no
   * value; each, and the comma before it, is dropped. Returns the index of its last token, or -1.
   */
  #dtype(i: number): number {
    const tokens = this.tokens;
    const open = this.#open[this.#open.length - 1];
    const comma = this.#out[this.#out.length - 1];
    const keyword = runText(tokens[i]!);
    if (!['dtype', 'compute_expm'].includes(keyword) || tokens[i + 1]?.tokenType !== Equals || open === undefined || comma?.tokenType !== Comma) return -1;
    if (keyword === 'compute_expm' && (tokens[i + 2]?.tokenType !== IdentifierRun || runText(tokens[i + 2]!) !== 'False')) return -1;
    let last = i + 2;
    while (tokens[last + 1]?.tokenType === Dot && tokens[last + 2]?.tokenType === IdentifierRun) last += 2;
    this.#out.pop();
    open.commas.pop();
    return last;
  }

  /** A plain word: one Python name, unless it is a function word the splitter knows (`sum(`, `exp(`). */
  #plainWord(i: number): number {
    const token = this.tokens[i]!;
    const text = runText(token);
    const isFunction = (FUNCTION_KEYWORDS as readonly string[]).includes(text) || functionAlias(text) !== undefined || unsupportedFunction(text) !== undefined;
    if (isFunction || [...text].length === 1 || this.tokens[i + 1]?.tokenType === ColonEquals) this.#out.push(token);
    else this.#out.push(retyped(token, Name, canonicalName(text)));
    return i;
  }

  #unknown(name: string, normal: string, at: { start: number; end: number }): void {
    const lastPart = name.slice(name.lastIndexOf('.') + 1);
    const advice = unsupportedFunction(lastPart);
    if (advice !== undefined) {
      this.context.report('syntax/unsupported-notation', at, `'${name}'`, advice);
      return;
    }
    const module = normal.slice(0, normal.lastIndexOf('.'));
    const candidates = [...PYTHON_FUNCTIONS.keys(), ...CONSTANT_ARGUMENT.keys()].filter((k) => k.startsWith(`${module}.`)).map((k) => k.slice(module.length + 1));
    const near = closestName(lastPart, candidates);
    this.context.report('syntax/unknown-python', at, name, near === undefined ? '' : ` — did you mean '${name.slice(0, name.lastIndexOf('.') + 1)}${near}'?`);
  }

  #openParen(i: number, translation: Translation | undefined, name: string | undefined, nameToken: IToken | undefined, closesOperand = false, transposeBack = false): number {
    const paren = this.tokens[i]!;
    // `(_t1 := …)`: matcalc's own NumPy names a shared subexpression.
    const bound = this.tokens[i + 1];
    const walrus = bound?.tokenType === Subscript && this.tokens[i + 2]?.tokenType === ColonEquals ? bound.image : undefined;
    const at = this.#out.length;
    if (nameToken !== undefined) this.#out.push(nameToken);
    this.#out.push(paren);
    this.#open.push({ at, translation, name: name ?? '', nameToken, commas: [], closesOperand, ...(walrus !== undefined ? { walrus } : {}), ...(transposeBack ? { transposeBack } : {}) });
    return walrus !== undefined ? i + 2 : i;
  }

  #closeParen(close: IToken, next: IToken | undefined): void {
    const call = this.#open.pop();
    this.#out.push(close);
    if (call === undefined) return;
    if (call.closesOperand) this.#out.push(zeroWidth(RParen, end(close)));
    if (call.transposeBack === true) this.#out.push(zeroWidth(RParen, end(close)), zeroWidth(Transpose, end(close)));
    if (call.name.endsWith('.slogdet') && next?.tokenType !== LBracket) {
      const at = { start: this.#out[call.at]!.startOffset, end: end(close) };
      this.context.report('syntax/unsupported-notation', at, `'${call.nameToken!.image}(…)' (a sign and a logarithm)`, `: write ${call.nameToken!.image}(X)[1] for log|det X|`);
    }
    if (call.walrus !== undefined) this.#bound.set(call.walrus, this.#out.slice(call.at));
    const translation = call.translation;
    if (translation?.kind === 'fn' && NORM_CALLS.has(call.name) && call.commas.length === 1) {
      readNormOrder(this.#host, call);
      return;
    }
    if (translation === undefined || translation.kind === 'fn') {
      if (call.commas.length >= 1 && readAlongAxis(this.#host, call)) return;
      // An op of several arguments (scipy.linalg.expm_frechet(A, E)) takes as many as it declares.
      checkArity(this.#host, call, translation !== undefined && isOpName(translation.fn) ? opDeclaration(translation.fn).args.length : 1);
      return;
    }
    const constant = CONSTANT_ARGUMENT.get(call.name);
    if (constant !== undefined) {
      readConstantArgument(this.#host, call, constant);
      return;
    }
    if (translation.kind === 'identity') {
      if (readConcatenateAxis(this.#host, call)) return;
      if (!checkArity(this.#host, call, 1)) return;
      // `float(…)`, `np.asarray(…)`: the parentheses remain, the name goes.
      const name = this.#out[call.at]!;
      this.#out[call.at + 1] = covering(LParen, this.context.source, name.startOffset, end(this.#out[call.at + 1]!));
      this.#out.splice(call.at, 1);
      return;
    }
    if (translation.kind === 'fill') {
      const first = this.#out[call.at]!;
      const whole = covering(Eye, this.context.source, first.startOffset, end(close), translation.fill === 'eye' ? undefined : translation.fill);
      this.#out.splice(call.at, this.#out.length - call.at, whole);
      return;
    }
    if (translation.kind === 'template') readTemplate(this.#host, call, translation.template, translation.arity);
  }

  /** `_t1` after `(_t1 := …)`: the bound tokens again (copies: later passes re-type tokens in place). */
  #substitute(token: IToken): void {
    const bound = this.#bound.get(token.image)!;
    const at = token.startOffset;
    this.#out.push(zeroWidth(LParen, at));
    // The copies keep the spans of the definition they repeat.
    for (const t of bound) this.#out.push(Object.assign(covering(t.tokenType, this.context.source, t.startOffset, end(t), t.payload), { image: t.image }));
    this.#out.push(covering(RParen, this.context.source, at, end(token)));
  }

  /**
   * Python lists: `[f, g]` (inside np.array, np.stack, np.vstack …) is the stack [f; g] of scalars or
   * rows; `[[a, b], [c, d]]` the matrix [a, b; c, d], whose inner lists are its rows (their brackets
   * go, their commas stay). A list inside a row is left a stack, which the shape stage refuses there.
   */
  readonly #lists: { readonly calls: number; readonly row: boolean; readonly tuple?: boolean }[] = [];

  /** `np.concatenate((x, y))`, `torch.cat((x, y))`: a tuple right inside a stacking call is its list. */
  #startsTuple(): boolean {
    const call = this.#open[this.#open.length - 1];
    return call !== undefined && TUPLE_CALLS.has(call.name) && this.#out.length === call.at + 2;
  }

  /** `[` where an operand may start (not `X[0]`, an index). */
  #startsList(): boolean {
    const previous = this.#out[this.#out.length - 1];
    return previous === undefined || [LParen, Comma, LBracket, Semicolon].includes(previous.tokenType);
  }

  #openList(i: number, tuple = false): void {
    const outer = this.#lists[this.#lists.length - 1];
    const row = outer !== undefined && !outer.row && outer.calls === this.#open.length;
    this.#lists.push({ calls: this.#open.length, row, ...(tuple ? { tuple } : {}) });
    if (!row) this.#out.push(tuple ? retyped(this.tokens[i]!, LBracket) : this.tokens[i]!);
  }

  #closeList(token: IToken): void {
    const list = this.#lists.pop()!;
    if (!list.row) this.#out.push(list.tuple === true ? retyped(token, RBracket) : token);
  }

  /** `slogdet(X)[1]` is handled as a refusal; any other index is not supported. */
  #index(i: number): number {
    const open = this.tokens[i]!;
    let j = i;
    while (j < this.tokens.length && this.tokens[j]!.tokenType !== RBracket) j++;
    const last = Math.min(j, this.tokens.length - 1);
    // matcalc's own `np.linalg.slogdet(S)[1]` is logdet(S).
    const previous = this.#out[this.#out.length - 1];
    const text = this.tokens.slice(i, last + 1).map((t) => t.image).join('');
    const call = this.#lastCall(previous);
    if (text === '[1]' && call !== undefined) {
      this.#out[call] = retyped(this.#out[call]!, FunctionName, 'logdet');
      this.#out[this.#out.length - 1] = covering(RParen, this.context.source, previous!.startOffset, end(this.tokens[last]!));
      return last;
    }
    this.context.report('syntax/unsupported-notation', { start: open.startOffset, end: end(this.tokens[last]!) }, 'indexing', ': matcalc differentiates whole vectors and matrices; write the expression without [ ]');
    return last;
  }

  /** The index of the name token of a `np.linalg.slogdet(…)` call that the output ends with. */
  #lastCall(close: IToken | undefined): number | undefined {
    if (close?.tokenType !== RParen) return undefined;
    let depth = 0;
    for (let k = this.#out.length - 1; k >= 0; k--) {
      const type = this.#out[k]!.tokenType;
      if (type === RParen) depth++;
      else if (type === LParen && --depth === 0) {
        const name = this.#out[k - 1];
        return name !== undefined && /slogdet$/.test(name.image) ? k - 1 : undefined;
      }
    }
    return undefined;
  }
}

/** Whether the call closing at `close` ends with the shape tuple `(…, 1))`. */
function endsWithColumnShape(tokens: readonly IToken[], close: number): boolean {
  const one = tokens[close - 2];
  return tokens[close - 1]?.tokenType === RParen && one?.tokenType === NumberLiteral && one.image === '1' && tokens[close - 3]?.tokenType === Comma;
}
