/**
 * The names of `matcalc grad|diff|jac|hess --format …`, without loading the formatters (the CLI
 * needs the list for its option parser on every run; formats.ts, which loads every formatter, only
 * when one is used).
 * formats.ts checks at load that its table and this list agree.
 */
export const FORMAT_NAMES: readonly string[] = ['text', 'json', 'numpy', 'torch', 'torch-autograd', 'jax', 'latex', 'html', 'dot'];

/**
 * What every formatter is asked (formats.ts dispatches; each format module reads these), declared
 * here, beside the names, so the format modules need not import the table that imports them.
 */
export interface FormatOptions {
  /** Include the derivation. */
  readonly steps: boolean;
  /** A complete document (LaTeX: a compilable .tex file). */
  readonly standalone: boolean;
}
