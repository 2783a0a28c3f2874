
/**
 * What a parse is asked (ParseOptions) and which entry it runs (Mode). Separate so the token passes
 * (token-passes.ts) read the options without importing the entry points (parse.ts).
 */

export interface ParseOptions {
  /** Names declared by the user (in --dims, --assume, --wrt): an identifier run equal to one is that name, not a product of letters. */
  readonly knownNames?: ReadonlySet<string>;
  /** Rule files: allow ?A pattern variables and d(…) (the differential); `d` is an ordinary letter otherwise. */
  readonly patterns?: boolean;
  /**
   * Abstract functions (term/abstract-functions.ts) by name: `f` directly before `(` is the function
   * applied to the bracket, never the product f·(…). `scalar` for --function, `elementwise` for --elementwise.
   */
  readonly functions?: ReadonlyMap<string, 'scalar' | 'elementwise'>;
}

export type Mode = 'program' | 'expression';
