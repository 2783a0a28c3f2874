/**
 * Text → AST. The entry points of the syntax stage: `parseProgram` for user input (definitions,
 * then an expression) and `parseExpressionAt` for one expression inside a rule file.
 *
 * Between the lexer and the parser sit token passes that do what a context-free grammar cannot,
 * or what Chevrotain's recursion cannot afford:
 *
 *   1. line breaks: a line break separates statements only outside brackets and after something
 *      that can end an expression; elsewhere it is whitespace;
 *   2. identifier runs: `xᵀAx` lexes as run, ᵀ, run; each run is split into names and function
 *      keywords (identifiers.ts), which depends on the names declared and defined so far;
 *   3. depth: runs of redundant parentheses `((x))` collapse to one pair, and the nesting that is
 *      left is checked against MAX_NESTING_DEPTH;
 *   4. brackets: every bracketed atom is parsed on its own, innermost first, and replaced by one
 *      Group token carrying its AST, so neither the parser nor the AST builder ever recurses
 *      through brackets (grammar/parser.ts says why).
 *
 * Nothing here throws to the caller: every failure is a Result with one positioned diagnostic.
 * When several passes find problems, the earliest in the text wins, and syntax problems win over
 * the AST builder's (arity, redefinition), as they would if the whole input were parsed at once.
 */
import { createTokenInstance, EOF, tokenMatcher, type CstNode, type IRecognitionException, type IToken, type TokenType } from '../../grammar/chevrotain.js';
import { matrixExprParser } from '../../grammar/parser.js';
import {
  Bar,
  Comma,
  Equals,
  Eye,
  FRACTION_GLYPHS,
  FractionLiteral,
  FunctionName,
  Group,
  IdentifierRun,
  LAngle,
  LParen,
  matrixExprLexer,
  Name,
  Newline,
  NumberLiteral,
  PatternVariable,
  OnesSymbol,
  PowerOperator,
  ProductOperator,
  RAngle,
  RParen,
  Semicolon,
  Separator,
  Subscript,
  SumOperator,
  Superscript,
  Transpose,
} from '../../grammar/tokens.js';
import { catchDiagnostics, diag, DiagnosticError, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { positionOf } from '../diagnostics/render.js';
import { span, type Source, type Span } from '../diagnostics/span.js';
import type { Ast, Program } from './ast.js';
import { atomFromCst, expressionFromCst, programFromCst, tokenSpan } from './cst-to-ast.js';
import { translateDialects } from './dialects/index.js';
import { runText } from './dialects/edit.js';
import { canonicalName, NameTable, readIdentifierRun } from './identifiers.js';

export interface ParseOptions {
  /** Names declared by the user (in --dims, --assume, --wrt): an identifier run equal to one is that name, not a product of letters. */
  readonly knownNames?: ReadonlySet<string>;
  /** Rule files: allow ?A pattern variables and d(…) (the differential); `d` is an ordinary letter otherwise. */
  readonly patterns?: boolean;
}

/**
 * How deeply brackets and bare function names (`log det X`) may nest. The parser itself has no
 * depth limit (brackets are parsed innermost first, bare functions are a flat list), so this is
 * the depth of tree the later stages, which recurse over the AST, are promised never to see.
 * Redundant parentheses are collapsed first, so `((((x))))` at any depth is one level.
 */
export const MAX_NESTING_DEPTH = 1000;

type Mode = 'program' | 'expression';

export function parseProgram(source: Source, options: ParseOptions = {}): Result<Program> {
  const end = source.text.length;
  return catchDiagnostics(() => {
    const prepared = prepareTokens(source, 0, end, options, 'program');
    const program = parsePrepared(prepared, 'program', source, end, (cst) => programFromCst(cst, source, end));
    const warnings = lookAlikeWarnings(prepared.names, source);
    return warnings.length === 0 ? program : { ...program, warnings };
  });
}

/** Parses one expression (no definitions) from source.text.slice(start, end); spans are offsets into source.text. Used by the rule-file loader. */
export function parseExpressionAt(source: Source, start: number, end: number, options: ParseOptions = {}): Result<Ast> {
  return catchDiagnostics(() => {
    const prepared = prepareTokens(source, start, end, options, 'expression');
    return parsePrepared(prepared, 'expression', source, end, (cst) => expressionFromCst(cst, source, end));
  });
}

interface PreparedTokens {
  readonly tokens: IToken[];
  readonly problems: Problems;
  /** Every name read, canonical, with the span of its first occurrence. */
  readonly names: Map<string, Span>;
}

/**
 * Greek letters that look like Latin ones. `Α` (U+0391) and `A` are two variables to matcalc and
 * the same letter to a reader, so a name using one is reported (as a warning: it may be meant).
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X', ο: 'o',
};

/** Lowercase Greek letters that pass for Latin ones in many fonts: reported only when both occur (`ν` and `v`). */
const LOOK_ALIKES_IF_BOTH: Readonly<Record<string, string>> = { ν: 'v', ι: 'i', κ: 'k' };

function lookAlikeWarnings(names: ReadonlyMap<string, Span>, source: Source): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const [name, at] of names) {
    const latin = [...name].map((c) => LOOK_ALIKES[c] ?? c).join('');
    const lowercase = [...name].map((c) => LOOK_ALIKES_IF_BOTH[c] ?? c).join('');
    if (lowercase !== name && names.has(lowercase)) {
      const greek = [...name].find((c) => LOOK_ALIKES_IF_BOTH[c] !== undefined)!;
      const code = `U+${greek.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      warnings.push({ ...diag('syntax/look-alike', { source, span: at }, name, code, lowercase, `; ${lowercase} also occurs, and the two are different variables`), severity: 'warning' });
      continue;
    }
    if (latin === name) continue;
    const greek = [...name].find((c) => LOOK_ALIKES[c] !== undefined)!;
    const code = `U+${greek.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    const both = names.has(latin) ? `; ${latin} also occurs, and the two are different variables` : '';
    warnings.push({ ...diag('syntax/look-alike', { source, span: at }, name, code, latin, both), severity: 'warning' });
  }
  return warnings;
}

// ── the token pass ──────────────────────────────────────────────────────────

/** The earliest problem found so far, by position in the text. */
class Problems {
  first: Diagnostic | undefined;

  constructor(private readonly source: Source) {}

  report(id: Parameters<typeof diag>[0], at: Span, ...args: unknown[]): void {
    if (this.#isEarlier(at)) this.first = (diag as (...a: unknown[]) => Diagnostic)(id, { source: this.source, span: at }, ...args);
  }

  add(diagnostic: Diagnostic): void {
    if (this.#isEarlier(diagnostic.span)) this.first = diagnostic;
  }

  #isEarlier(at: Span | undefined): boolean {
    return this.first === undefined || (at?.start ?? Infinity) < (this.first.span?.start ?? Infinity);
  }
}

function prepareTokens(source: Source, start: number, end: number, options: ParseOptions, mode: Mode): PreparedTokens {
  const problems = new Problems(source);
  const lexed = matrixExprLexer.tokenize(source.text.slice(start, end));
  for (const error of lexed.errors) {
    const offset = start + error.offset;
    const character = String.fromCodePoint(source.text.codePointAt(offset) ?? 0);
    problems.report('syntax/unknown-character', span(offset, offset + character.length), character);
  }
  // Offsets into source.text, not into the slice. (With onlyOffset tracking there is no endOffset;
  // a token's end is always startOffset + image.length.)
  if (start !== 0) for (const token of lexed.tokens) token.startOffset += start;
  // LaTeX, NumPy/PyTorch, MATLAB and the notes' spellings become the canonical tokens (dialects/).
  const raw = translateDialects(lexed.tokens, {
    source,
    program: mode === 'program',
    report: (id, at, ...args) => problems.report(id, at, ...args),
  });

  const statements = mode === 'program' ? keepSignificantSeparators(raw, options) : raw.filter((t) => t.tokenType !== Newline);
  if (statements.length === 0) {
    if (problems.first) throw new DiagnosticError(problems.first);
    throw new DiagnosticError(diag('syntax/empty-input', { source, span: span(start, end) }));
  }

  const split = splitRuns(statements, options, mode, problems, source);
  const collapsed = collapseRedundantParentheses(split);
  checkDepth(collapsed, problems, source);
  const names = new Map<string, Span>();
  for (const token of split) if (token.tokenType === Name && !names.has(token.payload as string)) names.set(token.payload as string, tokenSpan(token));
  return { tokens: collapsed, problems, names };
}

/** Tokens after which an expression can end, so that a following line break ends a statement. */
function endsOperand(token: IToken, closesNorm: boolean, patterns: boolean): boolean {
  const type = token.tokenType;
  if (type === IdentifierRun) return !isKeywordRun(runText(token), patterns);
  if (type === Bar) return closesNorm;
  return (
    type === NumberLiteral ||
    type === Name ||
    type === Eye ||
    type === PatternVariable ||
    type === RParen ||
    type === RAngle ||
    type === Transpose ||
    type === Superscript ||
    type === Subscript ||
    type === Group
  );
}

function isKeywordRun(image: string, patterns: boolean): boolean {
  const reading = readIdentifierRun(image, 0, { names: EMPTY_NAMES, patterns, beforeParen: false, directlyBeforeParen: false });
  return reading.kind === 'pieces' && reading.pieces.length === 1 && reading.pieces[0]!.kind === 'function';
}

const EMPTY_NAMES = new NameTable();

/**
 * Decides which line breaks separate statements, and drops empty statements. A `‖` closes a norm
 * when the innermost open bracket is a norm and the `‖` follows something that ends an operand;
 * this is the same decision the parser's juxtaposition gate makes.
 */
function keepSignificantSeparators(raw: readonly IToken[], options: ParseOptions): IToken[] {
  const patterns = options.patterns ?? false;
  const kept: IToken[] = [];
  const brackets: TokenType[] = [];
  let previous: IToken | undefined;
  let previousClosedNorm = false;
  for (const token of raw) {
    const type = token.tokenType;
    if (type === Newline || type === Semicolon) {
      const last = kept[kept.length - 1];
      const emptyStatement = last === undefined || last.tokenType === Newline || last.tokenType === Semicolon;
      // Inside brackets, or after an operator (`a +⏎ b`), a line break is only whitespace.
      const whitespace = type === Newline && (brackets.length > 0 || previous === undefined || !endsOperand(previous, previousClosedNorm, patterns));
      if (!emptyStatement && !whitespace) kept.push(token);
      continue;
    }
    let closedNorm = false;
    if (type === LParen || type === LAngle) brackets.push(type);
    else if ((type === RParen && brackets[brackets.length - 1] === LParen) || (type === RAngle && brackets[brackets.length - 1] === LAngle)) brackets.pop();
    else if (type === Bar) {
      if (brackets[brackets.length - 1] === Bar && previous !== undefined && endsOperand(previous, previousClosedNorm, patterns)) {
        brackets.pop();
        closedNorm = true;
      } else {
        brackets.push(Bar);
      }
    }
    kept.push(token);
    previous = token;
    previousClosedNorm = closedNorm;
  }
  const last = kept[kept.length - 1];
  if (last !== undefined && (last.tokenType === Newline || last.tokenType === Semicolon)) kept.pop();
  return kept;
}

/** Turns a lexed token into a parser-only token type (Name, FunctionName, Eye) in place. */
function retype(token: IToken, type: TokenType, payload: unknown): IToken {
  token.tokenType = type;
  token.tokenTypeIdx = type.tokenTypeIdx!;
  token.payload = payload;
  return token;
}

function synthesize(type: TokenType, image: string, start: number, payload: unknown): IToken {
  const token = createTokenInstance(type, image, start, NaN, NaN, NaN, NaN, NaN);
  token.payload = payload;
  return token;
}

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/**
 * Replaces identifier runs by Name / FunctionName / Eye tokens and checks what the grammar cannot:
 * pattern variables outside rule files, numbers that are not finite. Definition names (`Y` in
 * `Y = …` at the start of a statement) are taken whole and become known to later statements.
 */
function splitRuns(tokens: readonly IToken[], options: ParseOptions, mode: Mode, problems: Problems, source: Source): IToken[] {
  const patterns = options.patterns ?? false;
  const names = new NameTable(options.knownNames ?? []);
  const out: IToken[] = [];
  let pendingDefinition: string | undefined;
  let numberChainEnd = -1;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    const type = token.tokenType;
    const statementStart = i === 0 || tokenMatcher(tokens[i - 1]!, Separator);

    if (type === IdentifierRun) {
      if (mode === 'program' && statementStart && next?.tokenType === Equals && isKeywordRun(runText(token), patterns)) {
        // `exp = X` would otherwise be only "unexpected '='": say why the name cannot be defined.
        problems.report('syntax/function-name-defined', tokenSpan(token), runText(token));
      } else if (mode === 'program' && statementStart && next?.tokenType === Equals) {
        pendingDefinition = canonicalName(runText(token));
        out.push(retype(token, Name, pendingDefinition));
        continue;
      }
      const beforeParen = next?.tokenType === LParen;
      const reading = readIdentifierRun(runText(token), token.startOffset, {
        names,
        patterns,
        beforeParen,
        directlyBeforeParen: beforeParen && next!.startOffset === token.startOffset + token.image.length,
      });
      if (reading.kind === 'pieces') {
        const only = reading.pieces.length === 1 ? reading.pieces[0]! : undefined;
        for (const piece of reading.pieces) {
          // `I` is the identity, as in textbooks, unless the user declared or defined a name I.
          const identity = piece.kind === 'name' && piece.name === 'I' && !names.has('I');
          const type = identity ? Eye : piece.kind === 'name' ? Name : piece.kind === 'function' ? FunctionName : piece.kind === 'constant' ? NumberLiteral : Eye;
          const payload = identity ? undefined : piece.kind === 'name' ? piece.name : piece.kind === 'function' ? piece.fn : piece.kind === 'constant' ? piece.value : undefined;
          // A run that is one piece keeps its token (most runs: this saves an allocation per name).
          out.push(piece === only ? retype(token, type, payload) : synthesize(type, source.text.slice(piece.start, piece.end), piece.start, payload));
        }
        continue;
      }
      const at = tokenSpan(token);
      if (reading.kind === 'bad-number') problems.report('syntax/bad-number', at, token.image);
      else if (reading.kind === 'ambiguous') problems.report('syntax/ambiguous-name', at, reading.shown, reading.product, reading.advice);
      else problems.report('syntax/unknown-function', at, quoted(token.image), reading.hint);
      // Parsing goes on with the run as one name, so that an earlier syntax error can still win.
      out.push(retype(token, Name, token.image));
      continue;
    }

    if (type === FractionLiteral) {
      // `2½` is 2.5 in prose; read as 2·½ it would be a silent wrong answer.
      const before = tokens[i - 1];
      if (before?.tokenType === NumberLiteral && before.startOffset + before.image.length === token.startOffset) {
        problems.report('syntax/malformed-number', span(before.startOffset, token.startOffset + token.image.length), before.image + token.image);
      }
      out.push(retype(token, NumberLiteral, FRACTION_GLYPHS[token.image]));
      continue;
    }

    if (type === OnesSymbol) {
      // 𝟙 and 𝟏 are the ones vector, as in the notes (𝟙ᵀA𝟙); the ones matrix is 𝟙𝟙ᵀ.
      out.push(retype(token, Eye, 'ones-vector'));
      continue;
    }

    if (type === NumberLiteral) {
      // A dialect's implied number (NumPy's np.square → .^2) comes with its value.
      if (typeof token.payload !== 'number') token.payload = Number(token.image);
      if (!Number.isFinite(token.payload)) problems.report('syntax/bad-number', tokenSpan(token), token.image);
      // `1.2.3` lexes as 1.2 and .3; read as 1.2·.3 it would be a silent wrong answer. A chain is
      // measured once, from its first number (from every number it would be quadratic).
      const last = i > numberChainEnd ? malformedNumberEnd(tokens, i) : i;
      numberChainEnd = Math.max(numberChainEnd, last);
      if (last > i) {
        const at = span(token.startOffset, tokenSpan(tokens[last]!).end);
        problems.report('syntax/malformed-number', at, source.text.slice(at.start, at.end));
      }
    } else if (type === Superscript && token.image !== '⁻ᵀ') {
      const digits = [...token.image].map((c) => (c === '⁻' ? '-' : String(SUPERSCRIPT_DIGITS.indexOf(c)))).join('');
      token.payload = Number(digits);
      if (!Number.isFinite(token.payload)) problems.report('syntax/bad-number', tokenSpan(token), token.image);
    } else if (type === PatternVariable) {
      if (!patterns) problems.report('syntax/pattern-variable', tokenSpan(token), token.image);
      token.payload = canonicalName(token.image.slice(1));
    } else if (tokenMatcher(token, Separator) && pendingDefinition !== undefined) {
      names.add(pendingDefinition);
      pendingDefinition = undefined;
    }
    out.push(token);
  }
  return out;
}

/** A run quoted in a message: a 1 MB run is shown by its start. */
function quoted(run: string): string {
  return run.length > 24 ? `${run.slice(0, 24)}…` : run;
}

/** The index of the last number literal glued to the one at `i` (`1.2.3`, `1e3.5`), or `i`. */
function malformedNumberEnd(tokens: readonly IToken[], i: number): number {
  let last = i;
  for (;;) {
    const current = tokens[last]!;
    const next = tokens[last + 1];
    if (next?.tokenType !== NumberLiteral || next.startOffset !== current.startOffset + current.image.length || !next.image.startsWith('.')) return last;
    last++;
  }
}

/**
 * `((x))` → `(x)`, keeping the outer pair (whose span the expression takes). A pair is redundant
 * when it directly encloses another pair: `(` `(` … `)` `)` with nothing in between. This turns
 * 10,000 nested parentheses into one level without touching their meaning. The parentheses of a
 * call are not grouping, so `f((a, b))` keeps its inner pair (and its error).
 */
function collapseRedundantParentheses(tokens: IToken[]): IToken[] {
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
function checkDepth(tokens: readonly IToken[], problems: Problems, source: Source): void {
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

/**
 * Reduces the brackets, parses what is left, and builds the AST. Syntax problems (from the token
 * passes and from every parse) are reported before the AST builder's, earliest first.
 */
function parsePrepared<T>(prepared: PreparedTokens, entry: Mode, source: Source, end: number, build: (cst: CstNode) => T): T {
  const syntax = prepared.problems;
  const semantic = new Problems(source);
  const reduced = reduceBrackets(prepared.tokens, source, end, syntax, semantic);
  const parser = matrixExprParser;
  parser.load(reduced.tokens);
  let cst: CstNode;
  try {
    cst = entry === 'program' ? parser.program() : parser.expression();
  } catch (error) {
    // Only brackets that never close are left to recurse through; thousands of them can still
    // overflow the stack, and the missing closer is the problem to report.
    const innermost = reduced.unclosed[reduced.unclosed.length - 1];
    if (error instanceof RangeError && innermost !== undefined) throw new DiagnosticError(unclosed(innermost, source, span(end, end)));
    throw error;
  }
  const error = parser.errors[0];
  if (error !== undefined) syntax.add(syntaxDiagnostic(error, source, end, parser.openers));
  if (syntax.first !== undefined) throw new DiagnosticError(syntax.first);
  let value: T | undefined;
  try {
    value = build(cst);
  } catch (problem) {
    if (!(problem instanceof DiagnosticError)) throw problem;
    semantic.add(problem.diagnostic);
  }
  if (semantic.first !== undefined) throw new DiagnosticError(semantic.first);
  return value as T;
}

/**
 * Parses every bracketed atom on its own, innermost first: `(…)`, `f(…)`, `⟨…, …⟩`, `‖…‖` with
 * its subscript. Each is replaced by a Group token whose payload is its AST, so each parse sees
 * only one level of brackets. The pairing of `‖` is the parser's own rule (see
 * keepSignificantSeparators). Brackets that do not pair up are left in place for the final parse,
 * which reports them as the whole-input parse would.
 */
function reduceBrackets(tokens: readonly IToken[], source: Source, end: number, syntax: Problems, semantic: Problems): { tokens: IToken[]; unclosed: IToken[] } {
  const out: IToken[] = [];
  const open: { readonly opener: IToken; readonly start: number }[] = [];
  let previous: IToken | undefined;
  let previousClosedNorm = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const type = token.tokenType;
    const top = open[open.length - 1];
    let closedNorm = false;
    let closes = false;
    if (type === Bar && top?.opener.tokenType === Bar && previous !== undefined && endsOperand(previous, previousClosedNorm, false)) {
      closes = true;
      closedNorm = true;
    } else if ((type === RParen && top?.opener.tokenType === LParen) || (type === RAngle && top?.opener.tokenType === LAngle)) {
      closes = true;
    }
    if (closes) {
      out.push(token);
      // A norm's subscript belongs to it: ‖X‖_F is one atom.
      if (closedNorm && tokens[i + 1]?.tokenType === Subscript) out.push(tokens[++i]!);
      open.pop();
      out.push(parseGroup(out.splice(top!.start), source, end, syntax, semantic));
    } else {
      if (type === LParen || type === LAngle || type === Bar) {
        // f( … ) is one atom with its function name.
        const callee = type === LParen && out[out.length - 1]?.tokenType === FunctionName;
        open.push({ opener: token, start: callee ? out.length - 1 : out.length });
      }
      out.push(token);
    }
    previous = tokens[i];
    previousClosedNorm = closedNorm;
  }
  return { tokens: out, unclosed: open.map((o) => o.opener) };
}

const UNPARSED: Ast = { kind: 'name', name: '', span: span(0, 0) };

function parseGroup(group: IToken[], source: Source, end: number, syntax: Problems, semantic: Problems): IToken {
  const parser = matrixExprParser;
  parser.load(group);
  const cst = parser.atom();
  const first = group[0]!;
  let ast = UNPARSED; // stands in after a problem, so the rest of the input is still checked
  const error = parser.errors[0];
  if (error !== undefined) {
    syntax.add(syntaxDiagnostic(error, source, end, parser.openers));
  } else {
    try {
      ast = atomFromCst(cst, source, end);
    } catch (problem) {
      if (!(problem instanceof DiagnosticError)) throw problem;
      semantic.add(problem.diagnostic);
    }
  }
  return synthesize(Group, first.image, first.startOffset, ast);
}

const CLOSERS: Record<string, string> = { '(': ')', '⟨': '⟩', '〈': '〉', '<': '>', '‖': '‖', '||': '||', '{': '}', '\\langle': '\\rangle', '\\|': '\\|', '\\lVert': '\\rVert', '|': '|' };

const EXPECTED: Record<string, string> = {
  RParen: "')'",
  RAngle: "'⟩'",
  Bar: "'‖'",
  Comma: "','",
  Equals: "'='",
  Name: 'a name',
  Separator: "';' or a line break",
};

function unclosed(opener: IToken, source: Source, at: Span): Diagnostic {
  const closer = CLOSERS[opener.image] ?? opener.image;
  return diag('syntax/unclosed', { source, span: at }, closer, opener.image, positionOf(source.text, opener.startOffset));
}

function describeFound(token: IToken): string {
  if (token.tokenType === EOF) return 'end of input';
  if (token.tokenType === Newline) return 'line break';
  return `'${token.image}'`;
}

/**
 * One friendly diagnostic for Chevrotain's first error. The parser's messages carry only facts
 * (grammar/parser.ts): the expected token's name for a mismatch, the rule name otherwise.
 */
function syntaxDiagnostic(error: IRecognitionException, source: Source, end: number, openers: readonly IToken[]): Diagnostic {
  const token = error.token;
  const atEnd = token.tokenType === EOF;
  const at = atEnd ? span(end, end) : tokenSpan(token);
  const found = describeFound(token);
  const where = { source, span: at };
  switch (error.name) {
    case 'MismatchedTokenException': {
      const expected = error.message;
      const opener = openers[openers.length - 1];
      if ((expected === 'RParen' || expected === 'RAngle' || expected === 'Bar') && opener !== undefined) return unclosed(opener, source, at);
      return diag('syntax/unexpected-token', where, found, EXPECTED[expected] ?? expected);
    }
    case 'NotAllInputParsedException':
      return diag('syntax/trailing-input', where, found);
    default: {
      const previous = (error as IRecognitionException & { previousToken?: IToken }).previousToken;
      const afterPower = previous !== undefined && (tokenMatcher(previous, PowerOperator) || (tokenMatcher(previous, SumOperator) && isAfterPower(previous)));
      return diag('syntax/unexpected-token', where, found, afterPower ? 'an exponent' : 'an expression');
    }
  }
}

/** Whether a sign token directly follows ^ or .^ (the parser keeps the input, so look it up). */
function isAfterPower(sign: IToken): boolean {
  const tokens = matrixExprParser.input;
  const index = tokens.indexOf(sign);
  const before = index > 0 ? tokens[index - 1] : undefined;
  return before !== undefined && tokenMatcher(before, PowerOperator);
}
