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
 *      through brackets (grammar/parser.ts says why). Each stream left is flat, and its CST is built
 *      by direct-cst.ts where it parses; Chevrotain parses the rest and reports every error.
 *
 * Nothing here throws to the caller: every failure is a Result with one positioned diagnostic.
 * When several passes find problems, the earliest in the text wins, and syntax problems win over
 * the AST builder's (arity, redefinition), as they would if the whole input were parsed at once.
 */
import type { CstNode, IToken } from '../../grammar/chevrotain.js';
import { matrixExprParser } from '../../grammar/parser.js';
import { matrixExprLexer, Name, Newline } from '../../grammar/tokens.js';
import { catchDiagnostics, diag, DiagnosticError, type Result } from '../diagnostics/diagnostic.js';
import { span, type Source, type Span } from '../diagnostics/span.js';
import type { Ast, Program } from './ast.js';
import { expressionFromCst, programFromCst, tokenSpan } from './cst-to-ast.js';
import { directExpression, directProgram } from './direct-cst.js';
import { translateDialects } from './dialects/index.js';
import { reduceBrackets } from './brackets.js';
import { lookAlikeWarnings } from './look-alikes.js';
import { checkDepth, collapseRedundantParentheses } from './nesting.js';
import type { Mode, ParseOptions } from './parse-options.js';
import { Problems } from './problems.js';
import { keepSignificantSeparators, splitRuns } from './token-passes.js';
import { unclosed, syntaxDiagnostic } from './syntax-errors.js';

export type { ParseOptions } from './parse-options.js';
export { MAX_NESTING_DEPTH } from './nesting.js';

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
  if (start !== 0) for (let i = 0; i < lexed.tokens.length; i++) lexed.tokens[i]!.startOffset += start;
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
  // Index loops over the token streams here and in the passes: an iterator allocates per token on a 1 MB input.
  for (let i = 0; i < split.length; i++) {
    const token = split[i]!;
    if (token.tokenType === Name && !names.has(token.payload as string)) names.set(token.payload as string, tokenSpan(token));
  }
  return { tokens: collapsed, problems, names };
}

/**
 * Reduces the brackets, parses what is left, and builds the AST. Syntax problems (from the token
 * passes and from every parse) are reported before the AST builder's, earliest first.
 */
function parsePrepared<T>(prepared: PreparedTokens, entry: Mode, source: Source, end: number, build: (cst: CstNode) => T): T {
  const syntax = prepared.problems;
  const semantic = new Problems(source);
  const reduced = reduceBrackets(prepared.tokens, source, end, syntax, semantic);
  // The common case without Chevrotain (direct-cst.ts); anything else, errors included, is Chevrotain's.
  const direct = entry === 'program' ? directProgram(reduced.tokens) : directExpression(reduced.tokens);
  const cst = direct ?? chevrotainParse(reduced, entry, source, end, syntax);
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

/** Chevrotain's parse of a reduced stream; its first error goes to `syntax`. */
function chevrotainParse(reduced: { tokens: IToken[]; unclosed: IToken[] }, entry: Mode, source: Source, end: number, syntax: Problems): CstNode {
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
  return cst;
}
