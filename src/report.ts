import type { Source } from './diagnostics/span.js';
import type { DerivationStep } from './differentiate/derivation.js';
import type { DerivativeBlock, Layout } from './differentiate/read-off.js';
import type { TapeEntry } from './differentiate/reverse-sweep.js';
import type { Declarations, Property } from './shape/declarations.js';
import type { TypedProgram } from './shape/infer.js';
import type { Shape, Term, TermOf } from './term/term.js';
import type { CheckReport } from './verify/finite-difference.js';
import type { InputSample } from './verify/sample.js';
import type { PointValue } from './shape/point.js';
import type { AtMatrix, AtValues } from './verify/at-point.js';

/**
 * What a caller asks for and what the pipeline answers: types only, no logic. The stages below the
 * pipeline fill these in and the emitters read them, so neither needs to import the pipeline.
 */

export interface GradientRequest {
  /** The expression, e.g. "aᵀexp(Xb)" or "Y = σ(WX); ⟨Y, MY⟩". */
  readonly expression: string;
  /** Variables to differentiate with respect to: "X" or "W1,W2" or a list. */
  readonly wrt: string | readonly string[];
  /** --dims "X=3x4,a=3" or a parsed map. */
  readonly dims?: string | ReadonlyMap<string, readonly [number, number]>;
  /** --assume "S:spd,x:positive" or a parsed map. */
  readonly assume?: string | ReadonlyMap<string, ReadonlySet<Property>>;
  /** Verify numerically (default true). */
  readonly check?: boolean;
  /** Seed for the numeric check (default 1). */
  readonly seed?: number;
  /** Record the derivation (default false: it costs a simplification per step). */
  readonly steps?: boolean;
  /** Name shown in messages (default "<input>"). */
  readonly sourceName?: string;
  /** Refuse an expression graph larger than this many nodes (default 1,000,000). */
  readonly maxNodes?: number;
  /**
   * For a variable declared symmetric (symmetric, spd): the structured gradient G + Gᵀ − I ⊙ G, the
   * derivative with respect to the n(n+1)/2 free entries (each off-diagonal pair counted once),
   * instead of the unstructured G (every entry independent; the default).
   */
  readonly structured?: boolean;
  /**
   * Draw the inputs a generated NumPy/PyTorch module embeds for its self-check (default true; the
   * CLI asks for them only for --format numpy|torch, since they cost one more evaluation).
   */
  readonly sample?: boolean;
  /**
   * Values to evaluate at (`--at "x=-2, y=5, W=[[1,2],[3,4]]"`, or a parsed map): the report then
   * carries f and each result evaluated there, and the sizes come from the values.
   */
  readonly at?: string | ReadonlyMap<string, PointValue>;
  /**
   * Abstract scalar functions (`--function f`, "f,h" or a list): `f(Y)` is f applied to Y, and the
   * answer keeps its gradient ∇f(Y) as a symbol (docs/abstract-functions.md).
   */
  readonly functions?: string | readonly string[];
  /** Abstract element-wise functions (`--elementwise g`): the answer keeps g′(Y). */
  readonly elementwise?: string | readonly string[];
}

/** Values at a point are verify/'s own types (verify/at-point.ts). */
export type { AtMatrix, AtValues };

export interface VariableGradient {
  readonly name: string;
  readonly shape: Shape;
  /** As the sweep produced it (for tests comparing simplified and unsimplified values). */
  readonly raw: Term;
  /** In textbook form. */
  readonly gradient: Term;
  /**
   * The structured gradient G + Gᵀ − I ⊙ G of a symmetric variable (request.structured): the
   * derivative with respect to its free entries, so a check must move Xᵢⱼ and Xⱼᵢ together.
   */
  readonly structured?: true;
}

// ─── The report: one kind for every command ───────────────────────────────────────────────────────

/** A block and the Jacobian layout are the read-off's own types (differentiate/read-off.ts). */
export type { DerivativeBlock, Layout };

export type DerivativeCommand = 'diff' | 'jac' | 'hess';
/** Every command that differentiates an expression. */
export type Command = 'grad' | DerivativeCommand;

/** The gradient of the scalar f with respect to one variable: grad's results, hess's first step. */
export interface GradientBlock extends VariableGradient {
  readonly kind: 'gradient';
}

/**
 * One result of a command: a gradient (grad; hess's first step), or a block linear in one direction
 * (diff's differential, jac's Jacobian, hess's Hessian, per variable or pair of variables).
 */
export type Block = GradientBlock | DerivativeBlock;

/**
 * What any command answers: the input as read and typed, its results as blocks, the derivation, the
 * check and the notes. Every format is a view of one of these (emit/formats.ts).
 */
export interface Report {
  readonly command: Command;
  readonly source: Source;
  readonly typed: TypedProgram;
  /** The function, as a core term. */
  readonly f: Term;
  readonly wrt: readonly string[];
  /** Every input variable, and the --wrt variables that do not occur (with the shapes given them). */
  readonly variables: ReadonlyMap<string, Shape>;
  readonly declarations: Declarations;
  /** The results, in order: the gradients (grad, hess), then one block per direction (diff, jac, hess). */
  readonly blocks: readonly Block[];
  /** The gradient blocks alone, in --wrt order (empty for diff and jac): `report.gradients[0].gradient`. */
  readonly gradients: readonly GradientBlock[];
  /** jac: numerator (m×n, the default) or denominator (n×m); numerator for every other command. */
  readonly layout: Layout;
  /** diff and jac: dF in every direction, textbook form. */
  readonly differential?: Term;
  /** diff, jac, when the request asked for it: the pullback of F with a symbolic upstream gradient. */
  readonly pullback?: Pullback;
  /** Direction variable name → the variable it is the differential of (for printing `dX`). */
  readonly differentials: ReadonlyMap<string, string>;
  /** The derivation, when recorded (request.steps), one entry per line. */
  readonly steps?: Derivation;
  /** The reverse sweep's tape (grad with steps or a point): what each node passed back, for the graph. */
  readonly tape?: readonly TapeEntry[];
  readonly check?: CheckReport;
  /** Inputs for the emitted code's self-check (unless the request said sample: false). */
  readonly sample?: InputSample;
  /** Remarks for the user (variables that do not occur, conventions used). */
  readonly notes: readonly string[];
  /** Names to print nodes by: the user's definitions, before and after simplification. */
  readonly names: ReadonlyMap<Term, string>;
  /** Values at the request's point, when it gave one. */
  readonly at?: AtValues;
}

/**
 * A derivation: grad's reverse sweep, one chain df = ⟨…⟩ = … whose steps keep their terms (the
 * documents print them with shared definitions), or a forward sweep's lines, each with its LaTeX.
 */
export type Derivation = readonly DerivationStep[] | readonly DerivativeStep[];

// ─── Requests of diff, jac and hess (ENGINE.md §5) ────────────────────────────────────────────────

export interface DerivativeRequest extends GradientRequest {
  readonly command: DerivativeCommand;
  /** jac: numerator (m×n, the default) or denominator (n×m). */
  readonly layout?: Layout;
  /**
   * diff, jac: also the symbolic pullback ⟨G, dF⟩ = Σ ⟨X̄, dX⟩ for an upstream gradient G of F's
   * shape (default false; the CLI asks for it for --format torch-autograd|jax, whose backward it is).
   */
  readonly pullback?: boolean;
}

/** The vector-Jacobian product of F: each variable's coefficient X̄ in ⟨G, dF⟩, G a variable of F's shape. */
export interface Pullback {
  /** The upstream gradient G (a variable no input uses). */
  readonly seed: TermOf<'var'>;
  /** One per --wrt variable, textbook form: the gradient of ⟨G, F⟩. */
  readonly gradients: readonly VariableGradient[];
}

/** One line of a forward derivation, in text and as a LaTeX `aligned` row. */
export interface DerivativeStep {
  readonly rule: string;
  readonly text: string;
  readonly latex: string;
}

/** A request for any command: a gradient's, or a derivative's with its command. */
export type CommandRequest = (GradientRequest & { readonly command?: 'grad' }) | DerivativeRequest;
