/**
 * Splitting identifier runs into names. Math notation writes products by juxtaposition, so the
 * lexer's maximal run `xᵀAx` → `x`, `Ax` must be cut into the names the user means: `Ax` is A·x,
 * `W₂` is one name, `theta` is one name, `xexp(` is x·exp(. The rules (grammar/README.md):
 *
 *   1. a whole run that is a function keyword is that function (`d` only in rule files);
 *   2. otherwise, left to right: the longest known name (declared or defined so far) that ends at
 *      a letter boundary; else a spelled Greek name; else, if the rest of the run is a function
 *      keyword and a `(` follows, that function; else one letter with its subscript.
 *
 * Every piece keeps its own span, so an error about `x` in `Ax` points at the x.
 */
import type { FunctionName } from './ast.js';
import { isCombiningMark, isDigit, isLetter, isSubscriptDigit } from '../../grammar/tokens.js';
import { functionAlias, unsupportedFunction } from './dialects/spellings.js';

/** The function keywords of user expressions, in the order hints prefer them. */
export const FUNCTION_KEYWORDS: readonly FunctionName[] = [
  'tr',
  'det',
  'logdet',
  'inv',
  'exp',
  'log',
  'sin',
  'cos',
  'tan',
  'tanh',
  'sigmoid',
  'relu',
  'softplus',
  'sqrt',
  'abs',
  'sign',
  'step',
  'sum',
  'norm1',
  'norm2',
  'diag',
  'vector',
  'matrix',
];

const FUNCTIONS = new Set<string>(FUNCTION_KEYWORDS);

/**
 * Spelled Greek letters that stand for one name. Not pi (a constant to most readers), sigma
 * (σ( is the sigmoid) or omicron (indistinguishable from o).
 */
export const GREEK_NAMES: ReadonlySet<string> = new Set([
  'alpha',
  'beta',
  'gamma',
  'delta',
  'epsilon',
  'zeta',
  'eta',
  'theta',
  'iota',
  'kappa',
  'lambda',
  'mu',
  'nu',
  'xi',
  'rho',
  'tau',
  'upsilon',
  'phi',
  'chi',
  'psi',
  'omega',
]);
const LONGEST_GREEK = 7; // epsilon, upsilon

/** Runs that look like special floating-point values, in any case; rejected, not read as letters. */
const NON_FINITE_WORDS = new Set(['nan', 'infinity', 'inf']);

const SUBSCRIPT_ZERO = 0x2080;
const UNDERSCORE = 0x5f;

/** One letter and its subscript, as found in a run. Offsets are relative to the run. */
interface LetterAtom {
  readonly letter: string;
  /** The subscript in canonical form: `₁`, `_1`, `1` all give "1"; `_out` stays "_out". */
  readonly subscript: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Cuts a run into letter atoms. Returns undefined if the text does not start with a letter (a
 * declared name such as "2x" can then never match a run, which is right).
 */
function letterAtoms(text: string): LetterAtom[] | undefined {
  const atoms: LetterAtom[] = [];
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (!isLetter(code)) return undefined;
    const start = i;
    i++;
    while (isCombiningMark(text.charCodeAt(i))) i++; // `x̂`: the accent is part of the letter
    const letter = text.slice(start, i);
    let subscript = '';
    for (;;) {
      const c = text.charCodeAt(i);
      if (isDigit(c) || isSubscriptDigit(c)) {
        subscript += isDigit(c) ? text[i] : String.fromCharCode(0x30 + c - SUBSCRIPT_ZERO);
        i++;
      } else if (c === UNDERSCORE && isDigit(text.charCodeAt(i + 1))) {
        // `W_12` is W12: the underscore is only a way of typing a subscript.
        i++;
      } else if (c === UNDERSCORE && isLetter(text.charCodeAt(i + 1))) {
        // `x_i`, `W_out`: a word subscript keeps its underscore and takes letters and digits.
        let j = i + 1;
        while (j < text.length && (isLetter(text.charCodeAt(j)) || isDigit(text.charCodeAt(j)))) j++;
        subscript += text.slice(i, j);
        i = j;
      } else {
        break;
      }
    }
    atoms.push({ letter, subscript, start, end: i });
  }
  return atoms;
}

/** The canonical spelling of a name: `W₁`, `W_1`, `W1` are all "W1"; `H_out`, `α` and `theta` stay. */
export function canonicalName(text: string): string {
  const atoms = letterAtoms(text);
  if (atoms === undefined) return text;
  // NFC: `Ŷ` typed as Y + U+0302 and the precomposed `Ŷ` are one name.
  return atoms.map((a) => a.letter + a.subscript).join('').normalize('NFC');
}

/** Declared and defined names in canonical form, with what the splitter needs to search them quickly. */
export class NameTable {
  readonly #names = new Set<string>();
  #longest = 0; // in letter atoms

  constructor(names: Iterable<string> = []) {
    for (const name of names) this.add(name);
  }

  add(name: string): void {
    const atoms = letterAtoms(name);
    if (atoms === undefined || atoms.length === 0) return;
    this.#names.add(atoms.map((a) => a.letter + a.subscript).join('').normalize('NFC'));
    this.#longest = Math.max(this.#longest, atoms.length);
  }

  has(canonical: string): boolean {
    return this.#names.has(canonical);
  }

  /** The most letter atoms any name spans; bounds the search at each position. */
  get longest(): number {
    return this.#longest;
  }
}

export type RunPiece =
  | {
      readonly kind: 'name';
      readonly name: string;
      /** How the piece was found; the unknown-function check needs to know about lone letters. */
      readonly origin: 'known' | 'greek' | 'letter';
      readonly start: number;
      readonly end: number;
    }
  | { readonly kind: 'function'; readonly fn: FunctionName; readonly start: number; readonly end: number }
  | { readonly kind: 'eye'; readonly start: number; readonly end: number };

export type RunReading =
  | { readonly kind: 'pieces'; readonly pieces: readonly RunPiece[] }
  | { readonly kind: 'bad-number' }
  /** `foo(x)`: a lowercase word before `(` that is neither a function nor made of known names. */
  | { readonly kind: 'unknown-function'; readonly hint: string };

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
 * Reads one identifier run. Piece offsets are absolute: `start` is the run's offset in the source.
 */
export function readIdentifierRun(run: string, start: number, context: RunContext): RunReading {
  const whole = { start, end: start + run.length };
  // The common case, one letter, is itself whatever the known names are.
  if (run.length === 1 && !(run === 'σ' && context.directlyBeforeParen) && !(run === 'd' && context.patterns)) {
    return pieces({ kind: 'name', name: run, origin: 'letter', ...whole });
  }
  if (run === 'σ' && context.directlyBeforeParen) return pieces({ kind: 'function', fn: 'sigmoid', ...whole });
  if (run === 'eye') return pieces({ kind: 'eye', ...whole });
  if (isFunctionKeyword(run, context.patterns)) return pieces({ kind: 'function', fn: run as FunctionName, ...whole });
  // Other spellings (`ln`, `Tr`, `trace`) and refused functions (`expm`, `mean`): dialects/spellings.ts.
  const alias = functionAlias(run);
  if (alias !== undefined && !context.names.has(run)) return pieces({ kind: 'function', fn: alias, ...whole });
  const refusal = unsupportedFunction(run);
  if (refusal !== undefined && !context.names.has(run)) return { kind: 'unknown-function', hint: refusal };
  if (NON_FINITE_WORDS.has(run.toLowerCase())) return { kind: 'bad-number' };

  const atoms = letterAtoms(run);
  // The lexer only produces runs that start with a letter, so this cannot happen; read the run whole.
  if (atoms === undefined) return pieces({ kind: 'name', name: run, origin: 'letter', ...whole });

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
      split.push({ kind: 'name', name: greek.name, origin: 'greek', start: start + atom.start, end: start + atoms[greek.next - 1]!.end });
      i = greek.next;
      continue;
    }
    const rest = run.slice(atom.start);
    if (context.beforeParen && isFunctionKeyword(rest, context.patterns)) {
      split.push({ kind: 'function', fn: rest as FunctionName, start: start + atom.start, end: whole.end });
      break;
    }
    split.push({ kind: 'name', name: (atom.letter + atom.subscript).normalize('NFC'), origin: 'letter', start: start + atom.start, end: start + atom.end });
    i++;
  }

  if (context.directlyBeforeParen && /^[a-z]{2,}$/.test(run) && split.every((p) => p.kind === 'name') && split.some((p) => p.kind === 'name' && p.origin === 'letter')) {
    return { kind: 'unknown-function', hint: unknownFunctionHint(run, split, context.patterns) };
  }
  return { kind: 'pieces', pieces: split };
}

function pieces(...list: RunPiece[]): RunReading {
  return { kind: 'pieces', pieces: list };
}

function isFunctionKeyword(text: string, patterns: boolean): boolean {
  return FUNCTIONS.has(text) || (patterns && text === 'd');
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

/** A spelled Greek letter; only its last letter may carry a subscript (`theta1`, `beta_2`). */
function spelledGreek(atoms: readonly LetterAtom[], from: number): { name: string; next: number } | undefined {
  let found: { name: string; next: number } | undefined;
  let word = '';
  const stop = Math.min(atoms.length, from + LONGEST_GREEK);
  for (let j = from; j < stop; j++) {
    const atom = atoms[j]!;
    word += atom.letter;
    if (GREEK_NAMES.has(word)) found = { name: word + atom.subscript, next: j + 1 };
    if (atom.subscript !== '') break;
  }
  return found;
}

function unknownFunctionHint(run: string, split: readonly RunPiece[], patterns: boolean): string {
  const product = split.map((p) => (p.kind === 'name' ? p.name : '')).join('*');
  const candidates = patterns ? [...FUNCTION_KEYWORDS, 'd'] : FUNCTION_KEYWORDS;
  const suggestion = closestName(run, candidates);
  const advice = `write ${product}*(…) for a product of variables`;
  return suggestion === undefined ? `; ${advice}` : ` — did you mean '${suggestion}'? (or ${advice})`;
}

/**
 * The candidate nearest to `word` by edit distance (a swap of neighbours counts as one edit), if
 * it is near enough to be a plausible typo: one edit for words of up to three letters, two otherwise.
 */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  const limit = word.length <= 3 ? 1 : 2;
  let best: string | undefined;
  let bestScore = [limit + 1, 0];
  for (const candidate of candidates) {
    // Ties go to the candidate of the same length: 'tahn' is a swap in 'tanh' before a deletion from it.
    const score = [editDistance(word, candidate), Math.abs(candidate.length - word.length)] as const;
    if (score[0] < bestScore[0]! || (score[0] === bestScore[0] && score[1] < bestScore[1]!)) {
      best = candidate;
      bestScore = [...score];
    }
  }
  return best;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}
