import { ABSTRACT_OP_NAMES, NAMED_OP_NAMES } from '../term/ops.js';
import type { FunctionWord } from './ast.js';
import { AXIS_WORDS } from './along-axis.js';
import { FUNCTION_ALIASES } from './dialects/spellings.js';
import { WORD_HINTS } from './word-hints.js';

/**
 * The words an identifier run is read against: matcalc's function keywords, the spelled Greek
 * letters, the words that look like non-finite numbers, and every word a run may be meant as. Data
 * the run splitter (identifiers.ts) and the dialects read; separate so the vocabulary reads alone.
 */

/** The function keywords of user expressions, in the order hints prefer them. */
export const FUNCTION_KEYWORDS: readonly FunctionWord[] = [
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
  'log1p',
  'expm1',
  'log2',
  'log10',
  'logsigmoid',
  'sinh',
  'cosh',
  'arctan',
  'erf',
  'square',
  'sum',
  'norm1',
  'norm2',
  'diag',
  'vector',
  'matrix',
  'solve',
  // The ops of term/ops.ts, each read under its own name (other spellings: dialects/spellings.ts).
  ...NAMED_OP_NAMES,
  // Sums along an axis, read as products with 𝟙 (along-axis.ts).
  ...AXIS_WORDS,
];

/** The ops of abstract functions: keywords in rule files only (a user reads them under the declared name). */
export const PATTERN_ONLY_FUNCTIONS: ReadonlySet<string> = new Set(ABSTRACT_OP_NAMES);

export const FUNCTIONS = new Set<string>(FUNCTION_KEYWORDS);

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
export const LONGEST_GREEK = 7; // epsilon, upsilon

/** Runs that look like special floating-point values, in any case; rejected, not read as letters. */
export const NON_FINITE_WORDS = new Set(['nan', 'infinity', 'inf']);

/** The aliases in lowercase: `TRACE` and `Inverse` spell words too. */
export const ALIAS_WORDS: ReadonlySet<string> = new Set([...FUNCTION_ALIASES.keys()].map((w) => w.toLowerCase()));

/** Words a capitalised run may be meant as: matcalc's functions, the words it knows how to write, Greek names, pi. */
export function isKnownWord(word: string): boolean {
  return FUNCTIONS.has(word) || WORD_HINTS.has(word) || ALIAS_WORDS.has(word) || GREEK_NAMES.has(word) || word === 'pi' || word === 'eye';
}
