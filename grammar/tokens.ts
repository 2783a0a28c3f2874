/**
 * Chevrotain tokens for the matcalc expression language: pure syntax, no meaning.
 *
 * Both notations lex to the same token types: `*` `·` `⋅` `×` are all `Star`, `⊙` `∘` `.*` are all
 * `DotStar`, and so on. The parser never sees which spelling was used; diagnostics quote the image.
 *
 * The lexer produces `IdentifierRun` for a maximal run of letters and digits (`xᵀAx` lexes as run,
 * transpose, run). Splitting a run into names and function keywords depends on the names the user
 * declared and defined, so it happens after lexing (src/syntax/identifiers.ts, src/syntax/parse.ts),
 * which replaces each run with `Name`, `FunctionName` and `Eye` tokens. Those three, `Group` and
 * the categories are never produced by the lexer itself (pattern `Lexer.NA`).
 */
import { createToken, Lexer, type CustomPatternMatcherReturn, type TokenType } from './chevrotain.js';

// ── characters ──────────────────────────────────────────────────────────────

const SMALL_SIGMA = 0x03c3; // σ

/** ASCII letters and the Greek letters α–ω, Α–Ω. */
export function isLetter(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x03b1 && code <= 0x03c9) || // α-ω
    (code >= 0x0391 && code <= 0x03a9 && code !== 0x03a2) || // Α-Ω (U+03A2 is unassigned)
    isAccentedLatin(code)
  );
}

/**
 * Latin letters with a precomposed accent (Latin-1 Supplement and Latin Extended-A/B: `Ŷ`, `ŷ`,
 * `é`), so that the notes' `Ŷ` is a name; × and ÷ in that block are operators, not letters.
 */
function isAccentedLatin(code: number): boolean {
  return code >= 0x00c0 && code <= 0x024f && code !== 0x00d7 && code !== 0x00f7;
}

/** A combining accent (U+0300–U+036F): `x̂` is x + U+0302. It belongs to the letter before it. */
export function isCombiningMark(code: number): boolean {
  return code >= 0x0300 && code <= 0x036f;
}

export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** ₀–₉ */
export function isSubscriptDigit(code: number): boolean {
  return code >= 0x2080 && code <= 0x2089;
}

const UNDERSCORE = 0x5f;
const LEFT_PAREN = 0x28;

/**
 * A maximal run of letters, digits, subscript digits and `_` + alphanumerics, starting with a
 * letter. `σ` directly followed by `(` ends the run before it and is a run of its own, so that
 * `W₂σ(W₁x)` lexes as `W₂`, `σ`, `(` … and the splitter can read `σ(` as the sigmoid function.
 */
function matchIdentifierRun(text: string, offset: number): CustomPatternMatcherReturn | null {
  const first = text.charCodeAt(offset);
  if (!isLetter(first)) return null;
  let end = offset + 1;
  if (!(first === SMALL_SIGMA && text.charCodeAt(end) === LEFT_PAREN)) {
    while (end < text.length) {
      const code = text.charCodeAt(end);
      if (isLetter(code)) {
        if (code === SMALL_SIGMA && text.charCodeAt(end + 1) === LEFT_PAREN) break;
        end++;
      } else if (isDigit(code) || isSubscriptDigit(code) || isCombiningMark(code)) {
        end++;
      } else if (code === UNDERSCORE && end + 1 < text.length && isAlphanumeric(text.charCodeAt(end + 1))) {
        end += 2;
      } else {
        break;
      }
    }
  }
  return [text.slice(offset, end)] as CustomPatternMatcherReturn;
}

function isAlphanumeric(code: number): boolean {
  return isLetter(code) || isDigit(code);
}

function charRange(from: string, to: string): string[] {
  const chars: string[] = [];
  for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) chars.push(String.fromCharCode(c));
  return chars;
}

/** ⁰–⁹, as a list (they are not one range of code points). */
const SUPERSCRIPT_DIGITS = [...'⁰¹²³⁴⁵⁶⁷⁸⁹'];

const LETTER_START_CHARS = [
  ...charRange('a', 'z'),
  ...charRange('A', 'Z'),
  ...charRange('α', 'ω'),
  ...charRange('Α', 'Ω').filter((c) => c !== '\u03a2'),
  ...charRange('\u00c0', '\u024f').filter((c) => c !== '×' && c !== '÷'),
];

// ── categories and parser-only tokens ───────────────────────────────────────

/** `;` or a line break that ends a statement (parse.ts drops line breaks that do not). */
export const Separator = createToken({ name: 'Separator', pattern: Lexer.NA });
/** Every explicit binary operator below the postfix level: the sum and product operators. */
export const InfixOperator = createToken({ name: 'InfixOperator', pattern: Lexer.NA });
/** `+ -`: binary at the sum level, prefix at the negate level. */
export const SumOperator = createToken({ name: 'SumOperator', pattern: Lexer.NA, categories: [InfixOperator] });
/** `* / .* ./` and their math spellings: the explicit product level. */
export const ProductOperator = createToken({ name: 'ProductOperator', pattern: Lexer.NA, categories: [InfixOperator] });
/** `^ .^` */
export const PowerOperator = createToken({ name: 'PowerOperator', pattern: Lexer.NA });

/** One name from a split identifier run; the canonical name is in `payload`. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA });
/** A function keyword (`exp`, `tr`, `σ` before `(` …); the function name is in `payload`. */
export const FunctionName = createToken({ name: 'FunctionName', pattern: Lexer.NA });
/** `eye`, the identity of inferred size. */
export const Eye = createToken({ name: 'Eye', pattern: Lexer.NA });
/**
 * A bracketed atom (`(…)`, `f(…)`, `⟨…, …⟩`, `‖…‖`) that src/syntax/parse.ts has already parsed on
 * its own, so that the parser never recurses through brackets. The image is the atom's first token,
 * the AST is in `payload`.
 */
export const Group = createToken({ name: 'Group', pattern: Lexer.NA });

// ── lexed tokens ────────────────────────────────────────────────────────────

export const Whitespace = createToken({
  name: 'Whitespace',
  // Ordinary, no-break, thin, hair, narrow no-break and ideographic spaces.
  pattern: /[ \t\r\f\v\u00a0\u2009\u200a\u202f\u3000]+/,
  group: Lexer.SKIPPED,
  start_chars_hint: [' ', '\t', '\r', '\f', '\v', '\u00a0', '\u2009', '\u200a', '\u202f', '\u3000'],
});
export const Newline = createToken({ name: 'Newline', pattern: /\n/, line_breaks: true, categories: [Separator], start_chars_hint: ['\n'] });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/, categories: [Separator], start_chars_hint: [';'] });
export const Equals = createToken({ name: 'Equals', pattern: /=/, start_chars_hint: ['='] });
export const Comma = createToken({ name: 'Comma', pattern: /,/, start_chars_hint: [','] });

export const LParen = createToken({ name: 'LParen', pattern: /\(/, start_chars_hint: ['('] });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, start_chars_hint: [')'] });
/** `⟨` `〈` and ASCII `<` (there are no comparisons, so `<` is free). */
export const LAngle = createToken({ name: 'LAngle', pattern: /[⟨〈<]/, start_chars_hint: ['⟨', '〈', '<'] });
export const RAngle = createToken({ name: 'RAngle', pattern: /[⟩〉>]/, start_chars_hint: ['⟩', '〉', '>'] });
/** `‖` or `||`: opens or closes a norm; which one is decided by the parser (a gated juxtaposition). */
export const Bar = createToken({ name: 'Bar', pattern: /‖|\|\|/, start_chars_hint: ['‖', '|'] });

// The dotted operators come before anything that could take their first character.
export const DotStar = createToken({ name: 'DotStar', pattern: /\.\*|[⊙∘]/, categories: [ProductOperator], start_chars_hint: ['.', '⊙', '∘'] });
export const DotSlash = createToken({ name: 'DotSlash', pattern: /\.\/|⊘/, categories: [ProductOperator], start_chars_hint: ['.', '⊘'] });
/** `⊗`, the Kronecker product, at the product level as ⊙ (cst-to-ast reads it as kron(a, b)). */
export const Otimes = createToken({ name: 'Otimes', pattern: /⊗/, categories: [ProductOperator], start_chars_hint: ['⊗'] });
export const DotCaret = createToken({ name: 'DotCaret', pattern: /\.\^/, categories: [PowerOperator], start_chars_hint: ['.'] });
/** `**`, Python's power; element-wise, as in NumPy (cst-to-ast reads it as `.^`). Before `*`. */
export const DoubleStar = createToken({ name: 'DoubleStar', pattern: /\*\*/, categories: [PowerOperator], start_chars_hint: ['*'] });
/** `*` `·` `⋅` `×` and Python's `@` (a matrix product; NumPy's `*` is re-typed by src/syntax/dialects/numpy.ts). */
export const Star = createToken({ name: 'Star', pattern: /[*·⋅×@]/, categories: [ProductOperator], start_chars_hint: ['*', '·', '⋅', '×', '@'] });
export const Slash = createToken({ name: 'Slash', pattern: /[/÷]/, categories: [ProductOperator], start_chars_hint: ['/', '÷'] });
export const Caret = createToken({ name: 'Caret', pattern: /\^/, categories: [PowerOperator], start_chars_hint: ['^'] });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, categories: [SumOperator], start_chars_hint: ['+'] });
/** `-` and the typographic minus `−` (U+2212). */
export const Minus = createToken({ name: 'Minus', pattern: /[-−]/, categories: [SumOperator], start_chars_hint: ['-', '−'] });

/**
 * `'`, `ᵀ`, `⊤` (U+22A4) and MATLAB's `.'`. (`^T` is a power whose exponent is the name T;
 * cst-to-ast reads it as a transpose.)
 */
export const Transpose = createToken({ name: 'Transpose', pattern: /\.'|['ᵀ⊤]/, start_chars_hint: ['.', "'", 'ᵀ', '⊤'] });

/**
 * A quoted word as an argument: MATLAB's and NumPy's `norm(X, 'fro')` (either quote). Only after `(`,
 * `,` or `=` (whitespace between allowed), where a quote cannot be a transpose: `A'B'` stays AᵀBᵀ.
 */
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: { exec: matchStringLiteral },
  line_breaks: false,
  start_chars_hint: ["'", '"'],
});

function matchStringLiteral(text: string, offset: number): CustomPatternMatcherReturn | null {
  let before = offset - 1;
  while (before >= 0 && /\s/.test(text[before]!)) before--;
  if (before < 0 || !'(,='.includes(text[before]!)) return null;
  const match = /^(['"])[A-Za-z_]+\1/.exec(text.slice(offset, offset + 40));
  return match === null ? null : ([match[0]] as CustomPatternMatcherReturn);
}
/** `⁻ᵀ`, or superscript digits with an optional superscript minus: `²`, `¹⁰`, `⁻¹`. */
export const Superscript = createToken({ name: 'Superscript', pattern: /⁻ᵀ|⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+/, start_chars_hint: ['⁻', ...SUPERSCRIPT_DIGITS] });
/**
 * A subscript that is not part of an identifier run: only meaningful after a norm (`‖X‖_F`,
 * `‖x‖_2`, `‖x‖₁`). Inside a run (`W_1`, `W₁`) it belongs to the name.
 */
export const Subscript = createToken({ name: 'Subscript', pattern: /_[A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+|_\*|[₀-₉]+/, start_chars_hint: ['_', ...charRange('₀', '₉')] });

/**
 * `2`, `0.5`, `1e-3`, `.5`. A trailing dot is not taken before `*`, `/`, `^`, so `2.*x` is `2 .* x`
 * as in MATLAB and matrixcalculus.org.
 */
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /(?:\d+(?:\.(?![*/^])\d*)?|\.\d+)(?:[eE][+-]?\d+)?/,
  start_chars_hint: [...charRange('0', '9'), '.'],
});

/** The vulgar-fraction glyphs, each a number (`½xᵀx` is ½·xᵀx); parse.ts gives them their value. */
export const FRACTION_GLYPHS: Readonly<Record<string, number>> = {
  '½': 1 / 2, '⅓': 1 / 3, '⅔': 2 / 3, '¼': 1 / 4, '¾': 3 / 4, '⅕': 1 / 5, '⅖': 2 / 5, '⅗': 3 / 5, '⅘': 4 / 5,
  '⅙': 1 / 6, '⅚': 5 / 6, '⅛': 1 / 8, '⅜': 3 / 8, '⅝': 5 / 8, '⅞': 7 / 8,
};
/** A fraction glyph lexes as a number literal: the parser needs no new atom. */
export const FractionLiteral = createToken({ name: 'FractionLiteral', pattern: /[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]/, start_chars_hint: Object.keys(FRACTION_GLYPHS) });

/** `# …` to the end of the line is a comment, so the examples' `.mc` files can be fed to the CLI. */
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: Lexer.SKIPPED, start_chars_hint: ['#'] });

/** `?A`, `?k2`: a rule-file pattern variable (rejected in user expressions by parse.ts). */
export const PatternVariable = createToken({
  name: 'PatternVariable',
  pattern: /\?[A-Za-zα-ωΑ-Ω](?:[0-9₀-₉]+|_[A-Za-z0-9]+)?/,
  start_chars_hint: ['?'],
});

export const IdentifierRun = createToken({
  name: 'IdentifierRun',
  pattern: { exec: matchIdentifierRun },
  line_breaks: false,
  start_chars_hint: LETTER_START_CHARS,
});

/**
 * `𝟙` (U+1D7D9), the all-ones matrix of inferred shape (the text printer writes it), and the notes'
 * bold `𝟏` (U+1D7CF); read as matrix(1).
 */
export const OnesSymbol = createToken({ name: 'OnesSymbol', pattern: /\uD835[\uDFD9\uDFCF]/, line_breaks: false, start_chars_hint: ['\uD835'] });

// ── dialect tokens ──────────────────────────────────────────────────────────
// Spellings of LaTeX, NumPy/PyTorch and MATLAB. The parser never sees most of them:
// src/syntax/dialects/ rewrites them into the tokens above (README "Dialects"), keeping each
// token's image its exact source text so that errors point at what the user typed.

/** `\alpha`, `\top`, `\|`, `\{`, `\,`; a lone `\` is MATLAB's left division (`A \ b`). */
export const Backslash = createToken({ name: 'Backslash', pattern: /\\(?:[A-Za-z]+|[^A-Za-z\s])?/, start_chars_hint: ['\\'] });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/, start_chars_hint: ['{'] });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/, start_chars_hint: ['}'] });
/** `[` `]`: a stacked vector `[f; g]` (src/syntax/stack-literal.ts), NumPy indexing (`slogdet(S)[1]`). */
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, start_chars_hint: ['['] });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, start_chars_hint: [']'] });
/** `&`: the entry separator of LaTeX's `\begin{bmatrix} a & b \end{bmatrix}`. */
export const Ampersand = createToken({ name: 'Ampersand', pattern: /&/, start_chars_hint: ['&'] });
/** A single `|`: the absolute value `|x|` (`||` is the ASCII norm bar, lexed first as Bar). */
export const Pipe = createToken({ name: 'Pipe', pattern: /\|/, start_chars_hint: ['|'] });
/** `.` before a name: NumPy attributes and methods (`x.T`, `np.linalg.inv`, `(x**2).sum()`). */
export const Dot = createToken({ name: 'Dot', pattern: /\./, start_chars_hint: ['.'] });
/** `:=`, the walrus of matcalc's own NumPy output (`(_t1 := X @ w)`). */
export const ColonEquals = createToken({ name: 'ColonEquals', pattern: /:=/, start_chars_hint: [':'] });
/** `_` not followed by a letter or digit: a LaTeX subscript `W_{1}`. */
export const Underscore = createToken({ name: 'Underscore', pattern: /_/, start_chars_hint: ['_'] });
/** `√`, the square root of the lecture notes. */
export const Radical = createToken({ name: 'Radical', pattern: /√/, start_chars_hint: ['√'] });
/** `$` and `$$` around pasted LaTeX carry no meaning (dialects/latex.ts drops them at either end only). */
export const MathShift = createToken({ name: 'MathShift', pattern: /\$+/, start_chars_hint: ['$'] });

/** MATLAB's left division `A\b` = inv(A)·b, at the product level; produced by src/syntax/dialects/matlab.ts. */
export const LeftDivide = createToken({ name: 'LeftDivide', pattern: Lexer.NA, categories: [ProductOperator] });

/** What the lexer recognises, in priority order. */

export const lexedTokens: TokenType[] = [
  OnesSymbol,
  Whitespace,
  Comment,
  Newline,
  Semicolon,
  Equals,
  Comma,
  LParen,
  RParen,
  LAngle,
  RAngle,
  Bar,
  DotStar,
  DotSlash,
  Otimes,
  DotCaret,
  DoubleStar,
  Star,
  Slash,
  Caret,
  Plus,
  Minus,
  StringLiteral,
  Transpose,
  Superscript,
  Subscript,
  NumberLiteral,
  FractionLiteral,
  PatternVariable,
  IdentifierRun,
  Backslash,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Ampersand,
  Pipe,
  Dot,
  ColonEquals,
  Underscore,
  Radical,
  MathShift,
];

/** What the parser sees: the lexed tokens minus the runs, plus the tokens runs are split into. */
export const parserTokens: TokenType[] = [
  Separator,
  InfixOperator,
  SumOperator,
  ProductOperator,
  PowerOperator,
  Name,
  FunctionName,
  Eye,
  Group,
  LeftDivide,
  ...lexedTokens.filter((t) => t !== IdentifierRun && t !== Whitespace && t !== OnesSymbol && t !== Radical && t !== Comment && t !== FractionLiteral),
];

/**
 * Built once per process. `onlyOffset`: spans are offsets; lines and columns are computed when rendering.
 * Chevrotain's validation of the token definitions is skipped at start-up (it costs milliseconds on
 * every run and can only fail when this file changes); test/unit/syntax/grammar-validation.test.ts
 * builds a validating lexer and parser instead.
 *
 * Every token states its possible first characters (`start_chars_hint`), so the lexer tries only the
 * tokens a character can start: 4–8× faster on a short input than trying all forty in turn (issue 16).
 * Without the hints Chevrotain would work the first characters out by parsing every regular
 * expression, ~6 ms of cold code in every process. The same test checks the hints against that
 * analysis, and the tokens against a lexer that tries every token (safe mode).
 */
export function createMatrixExprLexer(options: { readonly validate?: boolean; readonly safeMode?: boolean } = {}): Lexer {
  if (options.safeMode) return new Lexer(lexedTokens, { positionTracking: 'onlyOffset', safeMode: true, skipValidations: true });
  return options.validate
    ? new Lexer(lexedTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true })
    : new Lexer(lexedTokens, { positionTracking: 'onlyOffset', skipValidations: true });
}

export const matrixExprLexer = createMatrixExprLexer();
