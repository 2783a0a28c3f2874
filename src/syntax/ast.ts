import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/span.js';
import type { ElementwiseFn, OpName } from '../term/types.js';

/**
 * The surface syntax tree: what the user wrote, with a span on every node so that shape errors can
 * point at source text. Both notations (ASCII `a'*exp(X*b)` and math `aᵀexp(Xb)`) produce this one
 * AST. Meaning (which `*` is a scalar multiple, which `^` is a matrix power) is decided later, in
 * the shape stage.
 */
export type BinaryOp =
  | '+'
  | '-'
  | '*' // matrix product or scalar multiple (explicit *, ·, or juxtaposition)
  | '/' // division by a scalar
  | '.*' // Hadamard product (also ⊙)
  | './' // element-wise division (also ⊘)
  | '^' // power: matrix power for square matrices, ordinary power for scalars; X^-1 is the inverse
  | '.^'; // element-wise power

/**
 * Functions of one argument, and the constant constructors. `d` exists only in rule files. The
 * element-wise functions are the term union's own list (term/types.ts ElementwiseFn), so a function
 * added there is a name the reader can build without a second list to keep in step.
 */
export type FunctionName =
  | 'tr'
  | 'det'
  | 'logdet'
  | 'inv'
  | ElementwiseFn
  | 'square' // square(x) is x.^2 (NumPy's np.square): read as that power, not a function of its own
  | 'sum'
  | 'norm1'
  | 'norm2'
  | 'diag'
  | 'vector' // vector(c): a constant-filled column vector, length inferred
  | 'matrix' // matrix(c): a constant-filled matrix, shape inferred
  | 'd'; // the differential (rule files only)

/**
 * Every word the reader reads as a function: the functions above, and the ops of term/ops.ts, whose
 * keyword is their name (a row added there is a word here with no second list). An op applied to its
 * arguments is an `op` node, not a `call`.
 */
export type FunctionWord = FunctionName | OpName | AxisWord | SugarWord;

/** Sums along one axis, read as products with 𝟙 (along-axis.ts): `sum_rows(X)` = X𝟙, `sum_cols(X)` = 𝟙ᵀX. */
export type AxisWord = 'sum_rows' | 'sum_cols';

/**
 * A function the user declared without defining it (--function f, --elementwise g; term/abstract-
 * functions.ts): the reader's token payload for `f` before `(`, read as the op of its role.
 */
export interface AbstractWord {
  readonly abstract: 'absfn' | 'absgrad' | 'absew' | 'absewd';
  readonly name: string;
}

/**
 * Words read as another expression, with no term of their own: `solve(A, B)` is A⁻¹B, as MATLAB's
 * `A\B`. A term would repeat the inverse's pullback and simplifications, and every Python printer
 * already turns an applied inverse into a solve (emit/python-solve.ts), never an explicit inverse.
 */
export type SugarWord = 'solve';

export type Ast =
  | { readonly kind: 'name'; readonly name: string; readonly span: Span }
  | { readonly kind: 'pattern'; readonly name: string; readonly span: Span } // ?A in rule files
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'eye'; readonly span: Span } // the identity, size inferred
  | {
      readonly kind: 'binary';
      readonly op: BinaryOp;
      readonly left: Ast;
      readonly right: Ast;
      readonly span: Span;
      /** The operator token, or for juxtaposition the gap between the operands. */
      readonly opSpan: Span;
    }
  | { readonly kind: 'negate'; readonly operand: Ast; readonly span: Span }
  | { readonly kind: 'transpose'; readonly operand: Ast; readonly span: Span }
  /** `vectorOnly`: the argument must be a vector, else the shape stage refuses it, naming it so (norm(x, 1)). */
  | { readonly kind: 'call'; readonly fn: FunctionName; readonly arg: Ast; readonly span: Span; readonly fnSpan: Span; readonly vectorOnly?: string }
  | { readonly kind: 'inner'; readonly left: Ast; readonly right: Ast; readonly span: Span }
  /** An op of term/ops.ts applied to its arguments (as many as it declares: the reader checks). */
  | { readonly kind: 'op'; readonly op: OpName; readonly args: readonly Ast[]; readonly span: Span; readonly fnSpan: Span };

export interface Definition {
  readonly name: string;
  readonly nameSpan: Span;
  readonly value: Ast;
  readonly span: Span;
}

/** `Y = σ(WX); ⟨Y, MY⟩`: definitions in order, then the expression. */
export interface Program {
  readonly definitions: readonly Definition[];
  readonly body: Ast;
  /** Warnings about what was read (a Greek capital that looks like a Latin letter); absent when none. */
  readonly warnings?: readonly Diagnostic[];
}

/** A node's operands, left to right: what every walk over the tree (shapes, rule checks) descends into. */
export function astChildren(node: Ast): readonly Ast[] {
  switch (node.kind) {
    case 'name':
    case 'pattern':
    case 'number':
    case 'eye':
      return [];
    case 'negate':
    case 'transpose':
      return [node.operand];
    case 'call':
      return [node.arg];
    case 'inner':
    case 'binary':
      return [node.left, node.right];
    case 'op':
      return node.args;
  }
}

/**
 * The operands of a chain of one binary operator written left to right (a + b + c, A*B*C), in order:
 * the parser nests it to the left, ((a + b) + c). Walked with a loop, so a long chain costs no stack.
 */
export function chainOperands(node: Ast, op: BinaryOp): Ast[] {
  const operands: Ast[] = [];
  let cursor = node;
  while (cursor.kind === 'binary' && cursor.op === op) {
    operands.push(cursor.right);
    cursor = cursor.left;
  }
  operands.push(cursor);
  return operands.reverse();
}
