import { createTokenInstance, tokenMatcher, type IToken, type TokenType } from '../../grammar/chevrotain.js';
import {
  Bar,
  Equals,
  Eye,
  FRACTION_GLYPHS,
  FractionLiteral,
  FunctionName,
  Group,
  IdentifierRun,
  LAngle,
  LBracket,
  LParen,
  Name,
  Newline,
  NumberLiteral,
  PatternVariable,
  OnesSymbol,
  RAngle,
  RBracket,
  RParen,
  Semicolon,
  Separator,
  Subscript,
  Superscript,
  Transpose,
} from '../../grammar/tokens.js';
import { span, type Source } from '../diagnostics/span.js';
import { tokenSpan } from './cst-to-ast.js';
import { retyped, runText } from './dialects/edit.js';
import { canonicalName, isLetterName, NameTable, readIdentifierRun } from './identifiers.js';
import type { Mode, ParseOptions } from './parse-options.js';
import type { AbstractWord } from './ast.js';
import type { Problems } from './problems.js';

/**
 * Token passes 1 and 2 of parse.ts: which line breaks separate statements, and identifier runs
 * (`xᵀAx` lexes as run, ᵀ, run) split into names and function keywords. Separate: they rewrite the
 * lexed token stream before any parse, and parse.ts only calls them in order.
 */

/** Tokens after which an expression can end, so that a following line break ends a statement. */
export function endsOperand(token: IToken, closesNorm: boolean, patterns: boolean): boolean {
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
export function keepSignificantSeparators(raw: readonly IToken[], options: ParseOptions): IToken[] {
  const patterns = options.patterns ?? false;
  const kept: IToken[] = [];
  const brackets: TokenType[] = [];
  let previous: IToken | undefined;
  let previousClosedNorm = false;
  for (let i = 0; i < raw.length; i++) {
    const token = raw[i]!;
    const type = token.tokenType;
    if ((type === Newline || type === Semicolon) && brackets[brackets.length - 1] === LBracket) {
      // Inside a stack [f; g] both separate rows (a line break only after an operand).
      const last = kept[kept.length - 1];
      if (type === Semicolon || (last !== undefined && endsOperand(last, previousClosedNorm, patterns) && last.tokenType !== Semicolon)) kept.push(retypedSeparator(token));
      continue;
    }
    if (type === Newline || type === Semicolon) {
      const last = kept[kept.length - 1];
      const emptyStatement = last === undefined || last.tokenType === Newline || last.tokenType === Semicolon;
      // Inside brackets, or after an operator (`a +⏎ b`), a line break is only whitespace.
      const whitespace = type === Newline && (brackets.length > 0 || previous === undefined || !endsOperand(previous, previousClosedNorm, patterns));
      if (!emptyStatement && !whitespace) kept.push(token);
      continue;
    }
    let closedNorm = false;
    if (type === LParen || type === LAngle || type === LBracket) brackets.push(type);
    else if ((type === RParen && brackets[brackets.length - 1] === LParen) || (type === RAngle && brackets[brackets.length - 1] === LAngle) || (type === RBracket && brackets[brackets.length - 1] === LBracket)) brackets.pop();
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

/**
 * A declared abstract function's name before `(` (term/abstract-functions.ts), or the names its
 * derivatives print as in ASCII and code, so that the ASCII answer reads back: f, grad_f; g, g_prime.
 */
function abstractWord(run: string, functions: ParseOptions['functions']): AbstractWord | undefined {
  if (functions === undefined) return undefined;
  const role = functions.get(run);
  if (role !== undefined) return { abstract: role === 'scalar' ? 'absfn' : 'absew', name: run };
  if (run.startsWith('grad_') && functions.get(run.slice(5)) === 'scalar') return { abstract: 'absgrad', name: run.slice(5) };
  if (run.endsWith('_prime') && functions.get(run.slice(0, -6)) === 'elementwise') return { abstract: 'absewd', name: run.slice(0, -6) };
  return undefined;
}

/** Turns a lexed token into a parser-only token type (Name, FunctionName, Eye) in place. */
function retype(token: IToken, type: TokenType, payload: unknown): IToken {
  token.tokenType = type;
  token.tokenTypeIdx = type.tokenTypeIdx!;
  token.payload = payload;
  return token;
}

export function synthesize(type: TokenType, image: string, start: number, payload: unknown): IToken {
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
export function splitRuns(tokens: readonly IToken[], options: ParseOptions, mode: Mode, problems: Problems, source: Source): IToken[] {
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
      const word = beforeParen ? abstractWord(canonicalName(runText(token)), options.functions) : undefined;
      if (word !== undefined) {
        out.push(retype(token, FunctionName, word));
        continue;
      }
      const run = runText(token);
      const directlyBeforeParen = beforeParen && next!.startOffset === token.startOffset + token.image.length;
      if (isLetterName(run, patterns, directlyBeforeParen)) {
        // One letter, the reading's one name piece, without making the reading.
        const identity = run === 'I' && !names.has('I');
        out.push(retype(token, identity ? Eye : Name, identity ? undefined : run));
        continue;
      }
      const reading = readIdentifierRun(run, token.startOffset, { names, patterns, beforeParen, directlyBeforeParen });
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

/** A row separator inside a stack: always a `;` token (a line break there is one too). */
function retypedSeparator(token: IToken): IToken {
  return token.tokenType === Semicolon ? token : retyped(token, Semicolon);
}
