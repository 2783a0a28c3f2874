/**
 * Function words as data: other spellings of the functions matcalc knows (identifiers.ts reads a
 * whole identifier run through them), and, from ../word-hints.ts, the advice for functions matcalc
 * does not have, which the LaTeX and NumPy passes give for `\operatorname{…}` and `np.…` names.
 */
import type { FunctionWord } from '../ast.js';
import { OP_SPELLINGS } from '../op-spellings.js';
import { WORD_HINTS } from '../word-hints.js';

/** Other spellings of known functions: the notes' `Tr` and `ln`, MATLAB's `trace`, and so on. */
export const FUNCTION_ALIASES: ReadonlyMap<string, FunctionWord> = new Map<string, FunctionWord>([
  ['ln', 'log'],
  ['Tr', 'tr'],
  ['trace', 'tr'],
  ['Trace', 'tr'],
  ['logistic', 'sigmoid'],
  ['expit', 'sigmoid'],
  ['ReLU', 'relu'],
  ['logdeterminant', 'logdet'],
  ['inverse', 'inv'],
  ['heaviside', 'step'],
  ['signum', 'sign'],
  ['atan', 'arctan'],
  ['log_sigmoid', 'logsigmoid'],
  // As matcalc prints them: log₂(x), log₁₀(x).
  ['log₂', 'log2'],
  ['log₁₀', 'log10'],
  ['log_2', 'log2'],
  ['log_10', 'log10'],
  // MATLAB's function forms of A\b.
  ['mldivide', 'solve'],
  ['linsolve', 'solve'],
  // The ops' other spellings, from their table (../op-spellings.ts).
  ...Object.entries(OP_SPELLINGS).flatMap(([op, spelling]) => spelling.aliases.map((alias) => [alias, op as FunctionWord] as const)),
]);

export function functionAlias(word: string): FunctionWord | undefined {
  return FUNCTION_ALIASES.get(word);
}

/** The advice for a function matcalc does not have (the table is ../word-hints.ts), after "…". */
export function unsupportedFunction(word: string): string | undefined {
  const advice = WORD_HINTS.get(word.toLowerCase());
  return advice === undefined ? undefined : `: ${advice}`;
}
