import { abstractFunctionName } from '../term/abstract-functions.js';
import { Precedence } from '../../grammar/precedence.js';
import type { TermOf } from '../term/term.js';

/**
 * Printed records: a node's text with its precedence level and the few characters at each end that
 * decide separators, and the ways to compose them (parenthesise by the precedence table, call,
 * postfix, infix). Every printer builds its output from these (layout.ts).
 */

const { product: PRODUCT, juxtapose: JUXTAPOSE, postfix: POSTFIX, atom: ATOM } = Precedence;

/** How many characters of each end of a text a record keeps, to decide separators without flattening ropes. */
export const EDGE = 16;

/** A printed node. */
export interface Printed {
  readonly text: string;
  readonly length: number;
  /** The first and last (up to) EDGE characters of `text`. */
  readonly head: string;
  readonly tail: string;
  /**
   * The name or number token `text` starts (ends) with, '' if it starts (ends) with another character.
   * Tokens, not characters: the text of `xᵀAx` ends with the letters `Ax`, but its last token is `x`.
   */
  readonly firstWord: string;
  readonly lastWord: string;
  /** The precedence level of the outermost construct (grammar/precedence.ts). */
  readonly prec: number;
  /** Ends in a superscript-like postfix (ᵀ, ⁻¹, ², ^p, '): another one after it needs parentheses. */
  readonly superscript: boolean;
  /** A plain product (no sign, no denominator), which may stand unparenthesised as the first factor of a product. */
  readonly chain: boolean;
}

export type Piece = string | Printed;

/**
 * A name or number character beyond ASCII: a letter but not a modifier letter (ᵀ is one), a decimal
 * digit. Written as a lookahead and single properties, not as the class [\p{Lu}\p{Ll}\p{Lt}\p{Lo}\p{Nd}]
 * (the same set, ~0.75 ms to compile: ascii-first.ts); this form takes ~0.25 ms, and only when a
 * literal has a character at its edge that wordCharAt does not decide by range.
 */
const WORD_CHAR = /^(?:(?!\p{Lm})\p{L}|\p{Nd})$/u;

function isAsciiWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Whether the code point at `i` (or ending at `i` when `backwards`) is a word character, and its length in UTF-16 units (0 if not). */
function wordCharAt(s: string, i: number, backwards: boolean): number {
  const c = s.charCodeAt(i);
  if (c < 128) return isAsciiWordCode(c) ? 1 : 0;
  // The common cases by range, so that most answers never compile the pattern: Greek letters (Α–Ω,
  // α–ω, without the unassigned U+03A2) and Latin-1's letters (ª µ º À–ÿ but × ÷) are word characters;
  // the rest of Latin-1 (¹ ² ·), ᵀ (a modifier letter), the superscripts and subscripts block (⁻ ¹ ₁,
  // its letters are modifiers too) and the mathematical operators (⊙ ∇ ∘) are not.
  if ((c >= 0x391 && c <= 0x3a9 && c !== 0x3a2) || (c >= 0x3b1 && c <= 0x3c9)) return 1;
  if (c <= 0xff) return c === 0xaa || c === 0xb5 || c === 0xba || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7) ? 1 : 0;
  if (c === 0x1d40 || (c >= 0x2070 && c <= 0x209f) || (c >= 0x2200 && c <= 0x22ff)) return 0;
  const pair = backwards ? c >= 0xdc00 && c <= 0xdfff && i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff : c >= 0xd800 && c <= 0xdbff && i + 1 < s.length;
  const ch = pair ? (backwards ? s.slice(i - 1, i + 1) : s.slice(i, i + 2)) : s[i]!;
  return WORD_CHAR.test(ch) ? ch.length : 0;
}

/** The run of name or number characters at the start of a literal. */
export function leadingWord(s: string): string {
  let i = 0;
  for (let n; i < s.length && (n = wordCharAt(s, i, false)) > 0; ) i += n;
  return s.slice(0, i);
}

/** The run of name or number characters at the end of a literal. */
export function trailingWord(s: string): string {
  let i = s.length;
  for (let n; i > 0 && (n = wordCharAt(s, i - 1, true)) > 0; ) i -= n;
  return s.slice(i);
}

/** Concatenates pieces into one record. */
export function compose(pieces: readonly Piece[], prec: number, superscript = false, chain = false): Printed {
  let text = '';
  let length = 0;
  for (const p of pieces) {
    if (typeof p === 'string') {
      text += p;
      length += p.length;
    } else {
      text += p.text;
      length += p.length;
    }
  }
  // A short text is its own ends; a longer one's are gathered piece by piece until EDGE characters
  // are known or a piece is itself cut short.
  let head = text;
  let tail = text;
  if (length > EDGE) {
    head = '';
    for (const p of pieces) {
      const h = typeof p === 'string' ? p.slice(0, EDGE) : p.head;
      head += h;
      if (h.length < p.length || head.length >= EDGE) break;
    }
    tail = '';
    for (let i = pieces.length - 1; i >= 0; i--) {
      const p = pieces[i]!;
      const t = typeof p === 'string' ? p.slice(-EDGE) : p.tail;
      tail = t + tail;
      if (t.length < p.length || tail.length >= EDGE) break;
    }
  }
  let firstWord = '';
  for (const p of pieces) {
    if (p.length === 0) continue;
    firstWord = typeof p === 'string' ? leadingWord(p) : p.firstWord;
    break;
  }
  let lastWord = '';
  for (let i = pieces.length - 1; i >= 0; i--) {
    const p = pieces[i]!;
    if (p.length === 0) continue;
    lastWord = typeof p === 'string' ? trailingWord(p) : p.lastWord;
    break;
  }
  return {
    text,
    length,
    head: head.length > EDGE ? head.slice(0, EDGE) : head,
    tail: tail.length > EDGE ? tail.slice(-EDGE) : tail,
    firstWord,
    lastWord,
    prec,
    superscript,
    chain,
  };
}

export function atom(text: string): Printed {
  // compose([text], ATOM), without the array: one per leaf and per name.
  const short = text.length <= EDGE;
  return {
    text,
    length: text.length,
    head: short ? text : text.slice(0, EDGE),
    tail: short ? text : text.slice(-EDGE),
    firstWord: leadingWord(text),
    lastWord: trailingWord(text),
    prec: ATOM,
    superscript: false,
    chain: false,
  };
}

export function parenthesise(p: Printed): Printed {
  return compose(['(', p, ')'], ATOM);
}

/** `p` in a slot that needs at least precedence `min`. */
export function wrap(p: Printed, min: number): Printed {
  return p.prec >= min ? p : parenthesise(p);
}

/** `p` as the operand of a postfix operator: `(AB)ᵀ`, and `(X²)ᵀ` rather than a double superscript. */
export function wrapPostfix(p: Printed): Printed {
  return p.prec >= POSTFIX && !p.superscript ? p : parenthesise(p);
}

/** `a op b op c` at the product level (⊙, ⊘, .*): left-associative, a signed or explicit product on the right is parenthesised. */
export function infix(operands: readonly Printed[], op: string): Printed {
  const pieces: Piece[] = [];
  operands.forEach((p, i) => {
    if (i > 0) pieces.push(op);
    pieces.push(wrap(p, i === 0 ? PRODUCT : JUXTAPOSE));
  });
  return compose(pieces, PRODUCT);
}

/** `fn(arg)`: the argument needs no parentheses of its own. */
export function call(name: string, argument: Printed): Printed {
  return compose([name, '(', argument, ')'], POSTFIX);
}

/** `name(a, b, …)`: a function of several arguments (the ops of term/ops.ts). */
export function callOf(name: string, args: readonly Printed[]): Printed {
  const pieces: Piece[] = [name, '('];
  args.forEach((a, i) => pieces.push(...(i === 0 ? [a] : [', ', a])));
  pieces.push(')');
  return compose(pieces, POSTFIX);
}

/**
 * How a notation prints an op: a function name, printed `name(a, …)`, or a layout of its own
 * (‖X‖₂, A ⊗ B) from the printed arguments and the node (its arguments' shapes, say). Each notation
 * keeps one table `Record<OpName, OpPrint>`.
 */
export type OpPrint = string | ((args: readonly Printed[], node: TermOf<'op'>) => Printed);

export function printOp(print: OpPrint, node: TermOf<'op'>, args: readonly Printed[]): Printed {
  return typeof print === 'string' ? callOf(print, args) : print(args, node);
}

export function postfix(operand: Printed, suffix: string): Printed {
  return compose([wrapPostfix(operand), suffix], POSTFIX, true);
}

/** Shortest decimal that reads back as the same double: `0.5`, `1e-3`, `12`, `2.5e21`. */
/** π as the reader reads `pi` and `π`: shown by name where a person reads it (text, LaTeX); code keeps the digits, and ASCII too (a declared variable may be named pi). */
export function isPi(value: number): boolean {
  return Math.abs(value) === Math.PI;
}

export function formatNumber(value: number): string {
  const plain = String(value).replace('e+', 'e');
  if (Number.isInteger(value) && !plain.includes('e')) return plain;
  const exponential = value.toExponential().replace('e+', 'e');
  return exponential.length < plain.length ? exponential : plain;
}

/**
 * How a notation prints the four ops of abstract functions (term/abstract-functions.ts): the name is
 * read back from the op's first argument, the second is printed as the function's argument.
 * `decorate` writes each role's name: f → `f`, `∇f` (text), `\nabla f` (LaTeX), `grad_f` (ASCII).
 */
export function abstractPrint(decorate: (name: string) => string): OpPrint {
  return (args, node) => call(decorate(abstractFunctionName(node.args)), args[1]!);
}
