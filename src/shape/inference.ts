import { diag, DiagnosticError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Source, Span } from '../diagnostics/span.js';
import type { Ast } from '../syntax/ast.js';
import { dimInShape, type Shape } from '../term/term.js';
import type { ElementwiseFn } from '../term/types.js';
import { namesIn, pushOperands } from './ast-operands.js';
import { refuseColumnBroadcast, rowBroadcast } from './broadcast.js';
import { DimNamer } from './dim-namer.js';
import { DimTable } from './dims.js';
import { inferOpShape } from './op-shapes.js';
import type { IShape, ShapeOptions } from './program-types.js';

/**
 * The shape stage: infers symbolic dimensions by unification, decides every scalar/matrix question
 * once, and builds the core Term (hash-consed DAG). See grammar/README.md, "Shapes".
 *
 * Decisions, in one place:
 * - An uppercase name is a matrix (m×n), any other name a column vector (n×1), until the expression
 *   forces a dimension (a name forced to 1×1 is a scalar).
 * - `a * b`: when either side is already known to be 1×1 it is a scalar multiple; otherwise a matrix
 *   product whose inner dimensions unify. Juxtaposition is the same `*`.
 * - `a + b`, `a .* b`, `a ./ b`: a side known to be 1×1 broadcasts over the other; otherwise the shapes unify.
 * - `a / b`: b must be a scalar.
 * - `a ^ b`: b is a scalar. When a is 1×1 it is an ordinary power; otherwise a must be square and b a
 *   constant integer (X^-1 is the inverse, X^0 the identity).
 * - `grad` asks for a scalar result, which is itself a constraint (so `c·xᵀAx` makes c a scalar).
 * Free dimensions stay symbolic (n, m, …) in the result.
 */

/*
 * This module is pass 1 of the shape stage: the inference state (dimension table, each node's
 * shape, the variables) and the walk that fills it. Pass 2 (build-terms.ts) extends the class to
 * build the terms from what it decided; the entry is infer.ts. Kept apart so each pass reads alone.
 */

export class Inference {
  readonly dims = new DimTable();
  readonly namer = new DimNamer(this.dims);
  readonly shapes = new Map<Ast, IShape>();
  readonly variables = new Map<string, IShape>();
  readonly variableSpans = new Map<string, Span>();
  readonly defined = new Map<string, IShape>();
  readonly patterns = new Map<string, IShape>();
  /** Rows added to every row of a matrix (`XW + bᵀ`, rowBroadcast): the pipeline says so in a note. */
  readonly broadcasts: Ast[] = [];
  readonly scalarShape: IShape;

  constructor(
    readonly source: Source,
    /** Not readonly: a cached rule-template inference is reused with new bindings (see inferShapes). */
    public options: ShapeOptions,
  ) {
    this.scalarShape = [this.dims.constant(1), this.dims.constant(1)];
  }

  // ── helpers ──────────────────────────────────────────────────────────────

  text(node: Ast): string {
    const raw = this.source.text.slice(node.span.start, node.span.end).trim();
    return raw.length > 40 ? `${raw.slice(0, 37)}…` : raw;
  }

  showDim(i: number): string {
    return String(this.namer.dim(i));
  }

  showShape(s: IShape): string {
    if (this.dims.isOne(s[0]) && this.dims.isOne(s[1])) return 'scalar';
    return `${dimInShape(this.showDim(s[0]))}×${dimInShape(this.showDim(s[1]))}`;
  }

  /** "A (3×4)" */
  described(node: Ast): string {
    return `${this.text(node)} (${this.showShape(this.shapeOf(node))})`;
  }

  shapeOf(node: Ast): IShape {
    const s = this.shapes.get(node);
    if (s === undefined) throw new Error('shape requested before inference');
    return s;
  }

  isScalar(s: IShape): boolean {
    return this.dims.isOne(s[0]) && this.dims.isOne(s[1]);
  }

  isVector(s: IShape): boolean {
    return this.dims.isOne(s[1]) && !this.dims.isOne(s[0]);
  }

  makeScalar(s: IShape): boolean {
    if (!this.dims.compatible(s[0], this.scalarShape[0]) || !this.dims.compatible(s[1], this.scalarShape[1])) return false;
    this.dims.unify(s[0], this.scalarShape[0]);
    this.dims.unify(s[1], this.scalarShape[1]);
    return true;
  }

  unifyShapes(a: IShape, b: IShape): boolean {
    if (!this.dims.compatible(a[0], b[0]) || !this.dims.compatible(a[1], b[1])) return false;
    // The second pair is unified after the first, not tested beside it: in n×1 ⊘ eye (k×k) the two
    // pairs share eye's class, and merging k with n (never 1) makes k = 1 impossible. Every caller
    // fails on false, so the half-made merge is never used.
    this.dims.unify(a[0], b[0]);
    return this.dims.unify(a[1], b[1]);
  }

  fail(diagnostic: Diagnostic): never {
    throw new DiagnosticError(diagnostic);
  }

  at(span: Span) {
    return { source: this.source, span };
  }

  /** How the user wrote an inverse, for its shape error: solve(A, B) and A\\B are read as A⁻¹B (ast-nodes.ts leftDivide). */
  inverseWord(fnSpan: Span): string {
    const written = this.source.text.slice(fnSpan.start, fnSpan.end);
    if (written === '\\') return 'the left division A\\B (A⁻¹B)';
    if (/(?:solve|mldivide)$/.test(written)) return `${written}(A, B) (A⁻¹B)`;
    return 'inv';
  }

  requireSquare(what: string, operand: Ast): void {
    const s = this.shapeOf(operand);
    if (!this.dims.compatible(s[0], s[1])) {
      this.fail(diag('shape/not-square', this.at(operand.span), what, this.described(operand)));
    }
    this.dims.unify(s[0], s[1]);
  }

  // ── names ────────────────────────────────────────────────────────────────

  nameShape(node: Extract<Ast, { kind: 'name' }>): IShape {
    const bound = this.options.boundNames?.get(node.name);
    if (bound) return this.fromShape(bound.shape);
    const def = this.defined.get(node.name);
    if (def) return def;
    let s = this.variables.get(node.name);
    if (s === undefined) {
      const declared = this.options.dims?.get(node.name);
      if (declared) {
        s = [this.dims.constant(declared[0]), this.dims.constant(declared[1])];
      } else if (this.options.square?.has(node.name)) {
        const n = this.dims.fresh(isMatrixName(node.name));
        s = [n, n];
      } else if (isMatrixName(node.name)) {
        s = [this.dims.fresh(true), this.dims.fresh(true)];
      } else {
        s = [this.dims.fresh(), this.dims.constant(1)];
      }
      this.variables.set(node.name, s);
      this.variableSpans.set(node.name, node.span);
    }
    return s;
  }

  patternShape(node: Extract<Ast, { kind: 'pattern' }>): IShape {
    let s = this.patterns.get(node.name);
    if (s !== undefined) return s;
    const bound = this.options.patternTerms?.get(node.name);
    if (bound) {
      s = this.fromShape(bound.shape);
    } else {
      const kind = this.options.patternShapes?.get(node.name) ?? 'matrix';
      if (kind === 'scalar') s = [this.dims.constant(1), this.dims.constant(1)];
      else if (kind === 'vector') s = [this.dims.fresh(), this.dims.constant(1)];
      else if (kind === 'square') {
        const n = this.dims.fresh();
        s = [n, n];
      } else s = [this.dims.fresh(), this.dims.fresh()];
    }
    this.patterns.set(node.name, s);
    return s;
  }

  fromShape(shape: Shape): IShape {
    return [this.dims.known(shape[0]), this.dims.known(shape[1])];
  }

  // ── pass 1: infer ────────────────────────────────────────────────────────

  /**
   * Infers shapes bottom-up with an explicit stack (ASTs can be 100,000 deep), children left to
   * right. The operands' shapes are handed to inferNode on a value stack rather than read back from
   * `shapes`: a node costs one lookup and one store in that Map, whose object keys make each access
   * a cache miss on a large input. A node met again (a shared subtree) keeps the shape it has.
   */
  infer(root: Ast): IShape {
    const shapes = this.shapes;
    const pending: Ast[] = [root];
    const expanded: boolean[] = [false];
    const values: IShape[] = [];
    while (pending.length > 0) {
      const top = pending.length - 1;
      const node = pending[top]!;
      if (!expanded[top]) {
        const known = shapes.get(node);
        if (known !== undefined) {
          pending.pop();
          expanded.pop();
          values.push(known);
          continue;
        }
        if (pushOperands(node, pending, expanded)) {
          expanded[top] = true;
          continue;
        }
      }
      pending.pop();
      expanded.pop();
      const shape = this.inferNode(node, values);
      shapes.set(node, shape);
      values.push(shape);
    }
    return values[0]!;
  }

  /** A node's shape from its operands' shapes, which it takes off the top of `values` (in order). */
  inferNode(node: Ast, values: IShape[]): IShape {
    switch (node.kind) {
      case 'name':
        return this.nameShape(node);
      case 'pattern':
        return this.patternShape(node);
      case 'number':
        return this.scalarShape;
      case 'eye': {
        const n = this.dims.fresh();
        return [n, n];
      }
      case 'negate':
        return values.pop()!;
      case 'transpose': {
        const s = values.pop()!;
        return [s[1], s[0]];
      }
      case 'inner': {
        const b = values.pop()!;
        const a = values.pop()!;
        if (!this.unifyShapes(a, b)) {
          this.fail(diag('shape/inner-mismatch', this.at(node.span), this.described(node.left), this.described(node.right)));
        }
        return this.scalarShape;
      }
      case 'call':
        return this.inferCall(node, values.pop()!);
      case 'op':
        // inferOpShape reads each argument's shape itself (stored in `shapes` before).
        values.length -= node.args.length;
        return this.inferOp(node);
      case 'binary': {
        const b = values.pop()!;
        return this.inferBinary(node, values.pop()!, b);
      }
    }
  }

  inferOp(node: Extract<Ast, { kind: 'op' }>): IShape {
    return inferOpShape(this, node);
  }

  inferCall(node: Extract<Ast, { kind: 'call' }>, s: IShape): IShape {
    switch (node.fn) {
      case 'tr':
        this.requireSquare('tr', node.arg);
        return this.scalarShape;
      case 'det':
        this.requireSquare('det', node.arg);
        return this.scalarShape;
      case 'logdet':
        this.requireSquare('logdet', node.arg);
        return this.scalarShape;
      case 'inv':
        this.requireSquare(this.inverseWord(node.fnSpan), node.arg);
        return s;
      case 'norm1':
        // norm(X, 1) of a matrix means a maximum (norm-order.ts): refused, where ‖X‖₁ is entry-wise.
        if (node.vectorOnly !== undefined && !this.dims.isOne(s[0]) && !this.dims.isOne(s[1])) this.fail(diag('shape/not-vector', this.at(node.span), node.vectorOnly, this.described(node.arg)));
        return this.scalarShape;
      case 'sum':
      case 'norm2':
        return this.scalarShape;
      case 'diag':
        if (this.isScalar(s)) return s;
        if (this.dims.isOne(s[1])) return [s[0], s[0]];
        this.requireSquare('diag', node.arg);
        return [s[0], this.dims.constant(1)];
      case 'vector':
        if (!this.makeScalar(s)) this.fail(diag('shape/fill-not-scalar', this.at(node.arg.span), 'vector', this.described(node.arg)));
        return [this.dims.fresh(), this.dims.constant(1)];
      case 'matrix':
        if (!this.makeScalar(s)) this.fail(diag('shape/fill-not-scalar', this.at(node.arg.span), 'matrix', this.described(node.arg)));
        return [this.dims.fresh(), this.dims.fresh()];
      case 'd':
      case 'square': // x.^2
        return s;
    }
    return elementwiseShape(node.fn, s);
  }

  inferBinary(node: Extract<Ast, { kind: 'binary' }>, a: IShape, b: IShape): IShape {
    switch (node.op) {
      case '+':
      case '-': {
        if (this.isScalar(a) && !this.isScalar(b)) return b;
        if (this.isScalar(b) && !this.isScalar(a)) return a;
        // Not in rule templates, which write 𝟙 explicitly: NumPy's row broadcasting (broadcast.ts).
        if (this.options.patternTerms === undefined && this.options.patternShapes === undefined) {
          const spread = rowBroadcast(this, a, b, node.right) ?? rowBroadcast(this, b, a, node.left);
          if (spread !== undefined) return spread;
          refuseColumnBroadcast(this, node, a, b);
        }
        if (!this.unifyShapes(a, b)) {
          this.fail(diag('shape/add-mismatch', this.at(node.opSpan), node.op === '+' ? 'add' : 'subtract', this.described(node.left), this.described(node.right)));
        }
        return a;
      }
      case '.*':
      case './': {
        if (this.isScalar(a)) return b;
        if (this.isScalar(b)) return a;
        if (!this.unifyShapes(a, b)) {
          this.fail(diag('shape/elementwise-mismatch', this.at(node.opSpan), node.op === '.*' ? '⊙' : '⊘', this.described(node.left), this.described(node.right)));
        }
        return a;
      }
      case '*': {
        // `λI`, `cI`: a variable that may be a scalar, before the identity, is a scalar multiple of it —
        // not a column times a 1×1 identity (which would be λ itself, and then `A + λI` fails).
        if (node.right.kind === 'eye' && node.left.kind === 'name' && !this.isScalar(a) && this.makeScalar(a)) return b;
        if (this.isScalar(a)) return b;
        if (this.isScalar(b)) return a;
        if (!this.dims.unify(a[1], b[0])) {
          this.fail(
            diag(
              'shape/matmul-mismatch',
              this.at(node.opSpan.end > node.opSpan.start ? node.opSpan : node.span),
              this.described(node.left),
              this.described(node.right),
              this.showDim(a[1]),
              this.showDim(b[0]),
            ),
          );
        }
        return [a[0], b[1]];
      }
      case '/': {
        if (!this.makeScalar(b)) this.fail(diag('shape/division', this.at(node.right.span), this.described(node.right)));
        return a;
      }
      case '^': {
        if (!this.makeScalar(b)) {
          // e^x of a vector: the element-wise exponential is exp(x); e^X of a matrix may mean expm(X).
          const advice = isEulerConstant(node.left, this.source.text)
            ? `; for the element-wise exponential write exp(${this.text(node.right)})${this.isVector(b) ? '' : `, for the matrix exponential expm(${this.text(node.right)})`}`
            : this.isScalar(a)
              ? `; for the element-wise power write ${this.text(node.left)}.^${this.text(node.right)}`
              : '';
          this.fail(diag('shape/exponent-not-scalar', this.at(node.right.span), this.described(node.right), advice));
        }
        if (this.isScalar(a)) return a;
        if (!this.dims.compatible(a[0], a[1])) {
          this.fail(diag('shape/not-square', this.at(node.left.span), 'a matrix power', this.described(node.left)));
        }
        // The names in a matrix power's exponent (Xⁿ) are integers, never dimensions: the namer skips them.
        for (const name of namesIn(node.right)) this.namer.avoid.add(name);
        this.dims.unify(a[0], a[1]);
        return a;
      }
      case '.^': {
        if (this.makeScalar(b)) return a;
        // A variable exponent, NumPy's a**x with an array x: entry by entry, a scalar base broadcast.
        if (this.isScalar(a)) return b;
        if (!this.unifyShapes(a, b)) {
          this.fail(diag('shape/elementwise-mismatch', this.at(node.opSpan), '.^', this.described(node.left), this.described(node.right)));
        }
        return a;
      }
    }
  }
}

/** Uppercase first letter (Latin or Greek) ⇒ a matrix by default. */
function isMatrixName(name: string): boolean {
  const first = [...name][0] ?? '';
  return first !== first.toLowerCase() && first === first.toUpperCase();
}

/** The number e as the reader reads the word `e` (not a literal 2.718… someone typed). */
export function isEulerConstant(node: Ast, text: string): boolean {
  return node.kind === 'number' && node.value === Math.E && text.slice(node.span.start, node.span.end).trim() === 'e';
}

/**
 * An element-wise function keeps its argument's shape. Typed by ElementwiseFn so that a function name
 * added to the syntax that is not element-wise fails to compile at inferCall instead of keeping the shape.
 */
function elementwiseShape(_fn: ElementwiseFn, s: IShape): IShape {
  return s;
}
