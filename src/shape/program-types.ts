import type { Span } from '../diagnostics/span.js';
import type { Shape, Term } from '../term/term.js';

/**
 * What the shape stage is asked (ShapeOptions) and what it answers (TypedProgram), and the shape of
 * a node during inference (IShape, two dimension classes of the DimTable). Separate from the stage's
 * code so the two passes (inference.ts, build-terms.ts) and their entry (infer.ts) share the types
 * without importing one another's code for them.
 */

export interface ShapeOptions {
  /** Fixed sizes from --dims: name → [rows, cols]. */
  readonly dims?: ReadonlyMap<string, readonly [number, number]>;
  /** Variables that must be square (assumed symmetric, spd or diagonal). */
  readonly square?: ReadonlySet<string>;
  /** The body must be a scalar: for grad (true) or the named command (hess). */
  readonly requireScalar?: boolean | string;
  /** Rule templates: pattern variables bound to built terms (their shapes are rigid). */
  readonly patternTerms?: ReadonlyMap<string, Term>;
  /** Rule patterns without bindings: shapes for pattern variables ([1,1] for a scalar guard …). */
  readonly patternShapes?: ReadonlyMap<string, 'scalar' | 'vector' | 'square' | 'matrix'>;
  /** The body must have this shape (a template coefficient has the shape of its d(?X)). */
  readonly targetShape?: Shape;
  /** Names that refer to built terms (a template mentions the node's own operands by name). */
  readonly boundNames?: ReadonlyMap<string, Term>;
  /**
   * Names the caller declares variables (--wrt, --assume): such a name is never read as a dimension
   * (`sum(x)/n` with --wrt n keeps n a variable). Given by user requests only: with it, a scalar name
   * that is a free dimension's symbol reads as that dimension (build-terms.ts, dimensionReadings).
   */
  readonly declaredNames?: ReadonlySet<string>;
}

export interface TypedProgram {
  /** The body, as a core term. */
  readonly term: Term;
  /** Every input variable with its resolved shape, in order of first appearance. */
  readonly variables: ReadonlyMap<string, Shape>;
  /** Definitions by name (Y = σ(WX)), and the reverse map used to print them by name. */
  readonly definitions: ReadonlyMap<string, Term>;
  readonly definitionNames: ReadonlyMap<Term, string>;
  /** Symbolic dimension names left free, in order. */
  readonly freeDims: readonly string[];
  /** The source text of each row added to every row of a matrix (`XW + bᵀ` reads as XW + 𝟙bᵀ). */
  readonly broadcasts: readonly string[];
  /** Where each variable first appears (for messages). */
  readonly variableSpans: ReadonlyMap<string, Span>;
  /** Names read as a dimension (`n` in sum(x)/n) → what was read, for the report's notes. */
  readonly dimensionNames?: ReadonlyMap<string, string>;
}

/** A shape during inference: row and column dimension classes of the DimTable (dims.ts). */
export type IShape = readonly [number, number];
