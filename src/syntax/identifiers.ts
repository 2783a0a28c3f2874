/**
 * Splitting identifier runs into names. Math notation writes products by juxtaposition, so the
 * lexer's maximal run `xᵀAx` → `x`, `Ax` must be cut into the names the user means: `Ax` is A·x,
 * `W₂` is one name, `theta` is one name, `W₂tanh(` is W₂·tanh(. The rules (grammar/README.md):
 *
 *   1. a whole run that is a function keyword is that function (`d` only in rule files); `pi`,
 *      `π` and a lone `e` are the constants unless declared or defined;
 *   2. otherwise, left to right: the longest known name (declared or defined so far) that ends at
 *      a letter boundary; else a spelled Greek name; else, if the rest of the run is a function
 *      keyword and a `(` follows, that function; else one letter with its subscript;
 *   3. a run of several pieces is a product only when it cannot also be a name the user meant
 *      (isSafeProduct); before `(` it must also not be a word (`ab(`, `MSE(`). Otherwise it is
 *      refused with both readings — never silently read as letters nobody meant.
 *
 * Every piece keeps its own span, so an error about `x` in `Ax` points at the x.
 */
import type { FunctionWord } from './ast.js';
import { functionAlias } from './dialects/spellings.js';
import { letterAtoms, type LetterAtom, type NameTable } from './letter-atoms.js';
import { FUNCTIONS, GREEK_NAMES, isKnownWord, LONGEST_GREEK, NON_FINITE_WORDS, FUNCTION_KEYWORDS, PATTERN_ONLY_FUNCTIONS } from './name-vocabulary.js';
import { unknownFunctionHint } from './typo-suggestions.js';

/*
 * This module is the splitter; the words it reads against are in name-vocabulary.ts, the letters
 * and canonical names in letter-atoms.ts, the typo suggestions for a refusal in typo-suggestions.ts.
 */

export { FUNCTION_KEYWORDS, GREEK_NAMES } from './name-vocabulary.js';
export { canonicalName, NameTable } from './letter-atoms.js';
export { closestName, closestNames, editDistance } from './typo-suggestions.js';

export type RunPiece =
  | {
      readonly kind: 'name';
      readonly name: string;
      /** How the piece was found; the unknown-function check needs to know about lone letters. */
      readonly origin: 'known' | 'greek' | 'letter';
      readonly start: number;
      readonly end: number;
    }
  | { readonly kind: 'function'; readonly fn: FunctionWord; readonly start: number; readonly end: number }
  /** `pi`, `π` (π) and a lone `e` (Euler's number), unless the user declared or defined the name. */
  | { readonly kind: 'constant'; readonly name: 'π' | 'e'; readonly value: number; readonly start: number; readonly end: number }
  | { readonly kind: 'eye'; readonly start: number; readonly end: number };

export type RunReading =
  | { readonly kind: 'pieces'; readonly pieces: readonly RunPiece[] }
  | { readonly kind: 'bad-number' }
  /** `foo(x)`, `log1p(x)`: a word before `(` that is neither a function nor safely a product. */
  | { readonly kind: 'unknown-function'; readonly hint: string }
  /** `xyz`, `log2`, `W1x`: a run that could be one name as well as a product; refused, both readings shown. */
  | { readonly kind: 'ambiguous'; readonly shown: string; readonly product: string; readonly advice: string };

export interface RunContext {
  readonly names: NameTable;
  /** Rule files: `d` is the differential. */
  readonly patterns: boolean;
  /** The next token is `(` (spaces allowed): a trailing function keyword is a call. */
  readonly beforeParen: boolean;
  /** The next character is `(`: `σ(` is the sigmoid, `σ (` is σ times a bracket; `foo(` is an unknown function, `ab (x)` is a·b·x. */
  readonly directlyBeforeParen: boolean;
}

/**
 * When a run that is not one name may be read as a product (grammar/README.md, "Identifier runs"):
 * at most this many pieces (`tr(ABCD)`), and never a run that also reads as a word. Longer runs are
 * refused, which also bounds the work on hostile input (a 1 MB run is refused after one linear pass).
 */
export const MAX_PRODUCT_PIECES = 4;
/** Runs of more letters than this are refused without being split at all. */
const MAX_SPLIT_ATOMS = 64;
/** Only this much of a refused run is quoted back. */
const QUOTED_RUN = 24;
const LONGEST_FUNCTION = Math.max(...FUNCTION_KEYWORDS.map((f) => f.length));

/**
 * Reads one identifier run. Piece offsets are absolute: `start` is the run's offset in the source.
 */
export function readIdentifierRun(run: string, start: number, context: RunContext): RunReading {
  const end = start + run.length;
  if (isLetterName(run, context.patterns, context.directlyBeforeParen)) {
    return { kind: 'pieces', pieces: [{ kind: 'name', name: run, origin: 'letter', start, end }] };
  }
  const whole = { start, end };
  const constant = wholeConstant(run, context.names);
  if (constant !== undefined) return pieces({ kind: 'constant', ...constant, ...whole });
  if (run.length === 1 && !(run === 'σ' && context.directlyBeforeParen) && !(run === 'd' && context.patterns)) {
    return pieces({ kind: 'name', name: run, origin: 'letter', ...whole });
  }
  if (run === 'σ' && context.directlyBeforeParen) return pieces({ kind: 'function', fn: 'sigmoid', ...whole });
  if (run === 'eye') return pieces({ kind: 'eye', ...whole });
  if (isFunctionKeyword(run, context.patterns)) return pieces({ kind: 'function', fn: run as FunctionWord, ...whole });
  // Other spellings (`ln`, `Tr`, `trace`): dialects/spellings.ts. Functions matcalc lacks (`expm`,
  // `mean`) are words, refused below with the advice of word-hints.ts.
  const alias = functionAlias(run);
  if (alias !== undefined && !context.names.has(run)) return pieces({ kind: 'function', fn: alias, ...whole });
  if (NON_FINITE_WORDS.has(run.toLowerCase())) return { kind: 'bad-number' };

  const atoms = letterAtoms(run);
  // The lexer only produces runs that start with a letter, so this cannot happen; read the run whole.
  if (atoms === undefined) return pieces({ kind: 'name', name: run, origin: 'letter', ...whole });
  if (atoms.length > MAX_SPLIT_ATOMS) return refuse(run, atoms.slice(0, MAX_PRODUCT_PIECES + 2).map((a) => a.letter + a.subscript), true, context);

  const split = splitRun(run, start, atoms, context);
  if (split.length === 1) return { kind: 'pieces', pieces: split };
  const word = isKnownWord(run.toLowerCase());
  const safe = isSafeProduct(run, start, split) && !(word && run.length >= 3);
  const allKnown = split.every((p) => p.kind === 'name' && p.origin === 'known');
  // A word applied to an argument is a function or an error: `ab(x)`, `Foo(x)`, `MSE(y)` are refused,
  // while `AB(X + Y)`, `Ax(x + y)ᵀ` (as matcalc prints it) and `W₂tanh(W₁x)` are products.
  const call = context.directlyBeforeParen && !allKnown && (!safe || word || cutsLowercasePair(run, start, split));
  if (call || !safe) return refuse(run, split.map((p) => pieceText(p, run.slice(p.start - start, p.end - start))), false, context);
  return { kind: 'pieces', pieces: split };
}

/**
 * The common case, one letter, which is itself whatever the known names are: not the constants `e`
 * and `π`, nor `σ(` (the sigmoid), nor a rule file's `d`. Asked before anything is allocated, since
 * it holds for nearly every run of a large input (token-passes.ts splitRuns reads it directly).
 */
export function isLetterName(run: string, patterns: boolean, directlyBeforeParen: boolean): boolean {
  return run.length === 1 && run !== 'e' && run !== 'π' && !(run === 'σ' && directlyBeforeParen) && !(run === 'd' && patterns);
}

/** The splitting proper (rule 3 of grammar/README.md), one linear pass over the letter atoms. */
function splitRun(run: string, start: number, atoms: readonly LetterAtom[], context: RunContext): RunPiece[] {
  const split: RunPiece[] = [];
  let i = 0;
  while (i < atoms.length) {
    const atom = atoms[i]!;
    const known = longestKnownName(atoms, i, context.names);
    if (known !== undefined) {
      split.push({ kind: 'name', name: known.name, origin: 'known', start: start + atom.start, end: start + atoms[known.next - 1]!.end });
      i = known.next;
      continue;
    }
    const greek = spelledGreek(atoms, i);
    if (greek !== undefined) {
      const at = { start: start + atom.start, end: start + atoms[greek.next - 1]!.end };
      split.push(greek.name === 'pi' ? { kind: 'constant', name: 'π', value: Math.PI, ...at } : { kind: 'name', name: greek.name, origin: 'greek', ...at });
      i = greek.next;
      continue;
    }
    // Only a short rest can be a function keyword; looking at every rest would be quadratic.
    if (context.beforeParen && run.length - atom.start <= LONGEST_FUNCTION) {
      const rest = run.slice(atom.start);
      if (isFunctionKeyword(rest, context.patterns)) {
        split.push({ kind: 'function', fn: rest as FunctionWord, start: start + atom.start, end: start + run.length });
        break;
      }
    }
    const at = { start: start + atom.start, end: start + atom.end };
    const name = (atom.letter + atom.subscript).normalize('NFC');
    split.push(atom.letter === 'π' && atom.subscript === '' ? { kind: 'constant', name: 'π', value: Math.PI, ...at } : { kind: 'name', name, origin: 'letter', ...at });
    i++;
  }
  return split;
}

/** `pi`, `π` and `e` read as the constants, unless the user declared or defined that name. */
function wholeConstant(run: string, names: NameTable): { name: 'π' | 'e'; value: number } | undefined {
  if ((run === 'pi' || run === 'π') && !names.has(run)) return { name: 'π', value: Math.PI };
  if (run === 'e' && !names.has('e')) return { name: 'e', value: Math.E };
  return undefined;
}

/**
 * Whether a split run is safely a product, that is, could not also be one name the user meant
 * (grammar/README.md): at most MAX_PRODUCT_PIECES pieces; no plain digit outside a declared name
 * (`log2`, `W1x`, `xA1`); no lone letter `e` (Euler's number or a variable?); and no lowercase word
 * read as letters — a stretch of lowercase ASCII letters cut into two or more pieces is a word when
 * it has three or more letters (`pinv`, `xyz`, `xexp`), and a capital with the letters after it is
 * one when it spells a function or a known word (`Det`, `Tr`, `Log`); lowercase letters cut and
 * run into an underscore and a word are a snake_case name (`my_var`).
 */
function isSafeProduct(run: string, start: number, split: readonly RunPiece[]): boolean {
  if (split.length > MAX_PRODUCT_PIECES) return false;
  for (const piece of split) {
    const text = run.slice(piece.start - start, piece.end - start);
    if (piece.kind === 'name' && piece.origin !== 'known' && /[0-9]/.test(text.replace(/_[0-9]+/g, ''))) return false; // `W_1x` is unambiguous
    if (piece.kind === 'name' && piece.origin === 'letter' && piece.name === 'e') return false;
  }
  for (const stretch of run.matchAll(/[a-z]+/g)) {
    const from = start + stretch.index;
    const to = from + stretch[0].length;
    const cut = split.filter((p) => p.start < to && p.end > from).length;
    if (cut >= 2 && stretch[0].length >= 3) return false;
    // `my_var`, `ab_cd`: lowercase letters run into an underscore and a word are one snake_case
    // name in code; read as m·y_var the check would pass on a question nobody asked. A one-letter
    // subscript (`sx_i`, `ab_c`) is how math writes a product with an indexed factor.
    const after = stretch.index + stretch[0].length;
    if (cut >= 2 && run[after] === '_' && /[A-Za-z]/.test(run[after + 1] ?? '') && /[A-Za-z]/.test(run[after + 2] ?? '')) return false;
    // `Det X`, `Tr X`, `Log x`: a capitalised function or known word. (`Sxxᵀa`, which matcalc itself prints, is a product.)
    const capital = stretch.index > 0 && /[A-Z]/.test(run[stretch.index - 1]!) ? run[stretch.index - 1]! : '';
    if (capital !== '' && split.some((p) => p.end === from) && isKnownWord((capital + stretch[0]).toLowerCase())) return false;
  }
  return true;
}

/** Whether the split cuts a stretch of two or more lowercase letters (`ab`, `Foo`): before `(` that is a word. */
function cutsLowercasePair(run: string, start: number, split: readonly RunPiece[]): boolean {
  for (const stretch of run.matchAll(/[a-z]{2,}/g)) {
    const from = start + stretch.index;
    const to = from + stretch[0].length;
    if (split.filter((p) => p.start < to && p.end > from).length >= 2) return true;
  }
  return false;
}

/** How a piece of a refused run is written in the product reading; a function piece is applied. */
function pieceText(piece: RunPiece, text: string): string {
  switch (piece.kind) {
    case 'name':
      return piece.name;
    case 'constant':
      return text === 'pi' ? 'p*i' : text; // typed as p*i, the letters are variables
    case 'function':
      return `${piece.fn}(…)`;
    case 'eye':
      return 'eye';
  }
}

/**
 * The refusal of a run that reads two ways. Before `(` it is an unknown function, with the nearest
 * real spellings; elsewhere both readings are shown, with how to write each.
 */
function refuse(run: string, parts: readonly string[], truncated: boolean, context: RunContext): RunReading {
  const shown = run.length > QUOTED_RUN ? `${run.slice(0, QUOTED_RUN)}…` : run;
  const dotted = parts.join('·').replaceAll('*', '·') + (truncated ? '·…' : '');
  const starred = parts.join('*') + (truncated ? '*…' : '');
  if (context.directlyBeforeParen && !truncated) return { kind: 'unknown-function', hint: unknownFunctionHint(run, starred, context.patterns) };
  const euler = parts.includes('e') ? '; e on its own is Euler\'s number (e^x is exp(x))' : '';
  const advice = truncated
    ? `a product of ${run.length} letters is refused (at most ${MAX_PRODUCT_PIECES} pieces are read as a product); write the factors with * or spaces`
    : `write ${starred} (or ${parts.join(' ')}) for the product, or declare the name (--wrt ${run} or --dims ${run}=…) to use one name${euler}`;
  return { kind: 'ambiguous', shown, product: dotted, advice };
}

function pieces(...list: RunPiece[]): RunReading {
  return { kind: 'pieces', pieces: list };
}

function isFunctionKeyword(text: string, patterns: boolean): boolean {
  return FUNCTIONS.has(text) || (patterns && (text === 'd' || PATTERN_ONLY_FUNCTIONS.has(text)));
}

/**
 * The longest known name made of whole letter atoms starting at atom `from`. Matching whole atoms
 * is what keeps a known `W` from matching the start of `W12`: the digits belong to the atom.
 */
function longestKnownName(atoms: readonly LetterAtom[], from: number, names: NameTable): { name: string; next: number } | undefined {
  let found: { name: string; next: number } | undefined;
  let text = '';
  const stop = Math.min(atoms.length, from + names.longest);
  for (let j = from; j < stop; j++) {
    const atom = atoms[j]!;
    text += atom.letter + atom.subscript;
    const name = text.normalize('NFC');
    if (names.has(name)) found = { name, next: j + 1 };
  }
  return found;
}

/** A spelled Greek letter (or `pi`); only its last letter may carry a subscript (`theta1`, `beta_2`). */
function spelledGreek(atoms: readonly LetterAtom[], from: number): { name: string; next: number } | undefined {
  let found: { name: string; next: number } | undefined;
  let word = '';
  const stop = Math.min(atoms.length, from + LONGEST_GREEK);
  for (let j = from; j < stop; j++) {
    const atom = atoms[j]!;
    word += atom.letter;
    if (GREEK_NAMES.has(word) || (word === 'pi' && atom.subscript === '')) found = { name: word + atom.subscript, next: j + 1 };
    if (atom.subscript !== '') break;
  }
  return found;
}
