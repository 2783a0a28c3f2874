import { catchDiagnostics, diag, DiagnosticError, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { Source, Span } from '../diagnostics/span.js';
import { positionOf } from '../diagnostics/render.js';
import { astChildren, type Ast, type Program } from '../syntax/ast.js';
import * as T from '../term/factory.js';
import { isScalarShape, shapeText, type Dim, type Shape, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import { DimNamer, DimTable } from './dims.js';

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
  /** Where each variable first appears (for messages). */
  readonly variableSpans: ReadonlyMap<string, Span>;
}

type IShape = readonly [number, number];

/** What pass 1 decided at a node, read by pass 2. */
interface Decision {
  shape: IShape;
}

class Inference {
  readonly dims = new DimTable();
  readonly namer = new DimNamer(this.dims);
  readonly shapes = new Map<Ast, IShape>();
  readonly variables = new Map<string, IShape>();
  readonly variableSpans = new Map<string, Span>();
  readonly defined = new Map<string, IShape>();
  readonly patterns = new Map<string, IShape>();
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
    return `${this.showDim(s[0])}×${this.showDim(s[1])}`;
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

  /** Infers shapes bottom-up with an explicit stack (ASTs can be 100,000 deep). */
  infer(root: Ast): IShape {
    const stack: { node: Ast; expanded: boolean }[] = [{ node: root, expanded: false }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (this.shapes.has(top.node)) {
        stack.pop();
        continue;
      }
      if (!top.expanded) {
        top.expanded = true;
        const kids = astChildren(top.node);
        for (let i = kids.length - 1; i >= 0; i--) {
          if (!this.shapes.has(kids[i]!)) stack.push({ node: kids[i]!, expanded: false });
        }
        continue;
      }
      stack.pop();
      this.shapes.set(top.node, this.inferNode(top.node));
    }
    return this.shapeOf(root);
  }

  inferNode(node: Ast): IShape {
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
        return this.shapeOf(node.operand);
      case 'transpose': {
        const s = this.shapeOf(node.operand);
        return [s[1], s[0]];
      }
      case 'inner': {
        const a = this.shapeOf(node.left);
        const b = this.shapeOf(node.right);
        if (!this.unifyShapes(a, b)) {
          this.fail(diag('shape/inner-mismatch', this.at(node.span), this.described(node.left), this.described(node.right)));
        }
        return this.scalarShape;
      }
      case 'call':
        return this.inferCall(node);
      case 'binary':
        return this.inferBinary(node);
    }
  }

  inferCall(node: Extract<Ast, { kind: 'call' }>): IShape {
    const s = this.shapeOf(node.arg);
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
        this.requireSquare('inv', node.arg);
        return s;
      case 'sum':
      case 'norm1':
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
        return s;
      default:
        return s; // element-wise functions keep the shape
    }
  }

  inferBinary(node: Extract<Ast, { kind: 'binary' }>): IShape {
    const a = this.shapeOf(node.left);
    const b = this.shapeOf(node.right);
    switch (node.op) {
      case '+':
      case '-': {
        if (this.isScalar(a) && !this.isScalar(b)) return b;
        if (this.isScalar(b) && !this.isScalar(a)) return a;
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
          // e^x of a vector: the element-wise exponential is exp(x); e^X of a matrix would be expm.
          const advice = isEulerConstant(node.left, this.source.text)
            ? `; for the element-wise exponential write exp(${this.text(node.right)})`
            : this.isScalar(a)
              ? `; for the element-wise power write ${this.text(node.left)}.^${this.text(node.right)}`
              : '';
          this.fail(diag('shape/exponent-not-scalar', this.at(node.right.span), this.described(node.right), advice));
        }
        if (this.isScalar(a)) return a;
        if (!this.dims.compatible(a[0], a[1])) {
          this.fail(diag('shape/not-square', this.at(node.left.span), 'a matrix power', this.described(node.left)));
        }
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

  // ── pass 2: build terms ──────────────────────────────────────────────────

  resolve(s: IShape): Shape {
    return [this.namer.dim(s[0]), this.namer.dim(s[1])];
  }

  /** Builds the core term for `root` bottom-up, iteratively, flattening + and * chains into n-ary nodes. */
  build(root: Ast, built: Map<Ast, Term>): Term {
    const isScalarSub = (n: Ast) => this.isScalar(this.shapeOf(n));
    const stack: { node: Ast; kids: readonly ChainOperand[] | undefined }[] = [{ node: root, kids: undefined }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (built.has(top.node)) {
        stack.pop();
        continue;
      }
      if (top.kids === undefined) {
        const kids = buildChildren(top.node, isScalarSub);
        top.kids = kids;
        for (let i = kids.length - 1; i >= 0; i--) {
          if (!built.has(kids[i]!.node)) stack.push({ node: kids[i]!.node, kids: undefined });
        }
        continue;
      }
      stack.pop();
      built.set(top.node, this.buildNode(top.node, top.kids, built));
    }
    return built.get(root)!;
  }

  buildNode(node: Ast, kids: readonly ChainOperand[], built: Map<Ast, Term>): Term {
    const shape = this.resolve(this.shapeOf(node));
    const child = (i: number) => built.get(kids[i]!.node)!;
    switch (node.kind) {
      case 'name': {
        const bound = this.options.boundNames?.get(node.name);
        if (bound) return bound;
        const def = this.definitionTerms.get(node.name);
        if (def) return def;
        return T.variable(node.name, shape);
      }
      case 'pattern': {
        const bound = this.options.patternTerms?.get(node.name);
        if (bound) return bound;
        return T.variable(node.name, shape); // an unbound pattern variable stands for itself (rule checks)
      }
      case 'number':
        return T.num(node.value);
      case 'eye':
        return T.eye(shape[0]);
      case 'negate':
        return negate(child(0));
      case 'transpose':
        return T.transpose(child(0));
      case 'inner':
        return T.inner(child(0), child(1));
      case 'call':
        return this.buildCall(node, child(0), shape);
      case 'binary': {
        if (node.op === '+' || node.op === '-') {
          const terms = kids.map((k, i) => {
            let t = child(i);
            if (isScalarShape(t.shape) && !isScalarShape(shape)) t = T.mul([t, T.ones(shape)]);
            return k.negated ? negate(t) : t;
          });
          return T.add(terms);
        }
        if (node.op === '*') {
          const factors = kids.map((_, i) => child(i));
          // 1e308*10*x'x: the constants multiply past a double, refused here with a position (MC2021)
          // rather than when the simplifier folds them (MC3003, no position).
          // User input only: a rule template's ?c is bound to a term already accepted.
          const template = this.options.patternTerms !== undefined || this.options.patternShapes !== undefined;
          let constants = 1;
          if (!template) for (const f of factors) constants *= scalarConstant(f) ?? 1;
          if (!Number.isFinite(constants)) {
            const named = kids.filter((_, i) => scalarConstant(factors[i]!) !== undefined).map((k) => this.text(k.node));
            const shown = named.length > 6 ? [...named.slice(0, 3), `… (${named.length} factors) …`, ...named.slice(-2)] : named;
            this.fail(diag('shape/constant-overflow', this.at(node.span), shown.join('*')));
          }
          return T.mul(factors);
        }
        return this.buildBinary(node, child(0), child(1), shape);
      }
    }
  }

  buildCall(node: Extract<Ast, { kind: 'call' }>, arg: Term, shape: Shape): Term {
    switch (node.fn) {
      case 'tr':
        return T.reduce('trace', arg);
      case 'det':
      case 'logdet':
      case 'sum':
      case 'norm1':
      case 'norm2':
        return T.reduce(node.fn, arg);
      case 'inv':
        return isScalarShape(arg.shape) ? T.epow(arg, T.num(-1)) : T.inv(arg);
      case 'diag':
        if (isScalarShape(arg.shape)) return arg;
        return arg.shape[1] === 1 ? T.diagm(arg) : T.diag(arg);
      case 'vector':
      case 'matrix':
        return T.mul([arg, T.ones(shape)]);
      case 'square':
        return T.epow(arg, T.num(2)); // np.square(x) is x.^2, and prints as that
      case 'd':
        // Only rule patterns contain d(·); the rule checks build ⟨G, d(P)⟩ as ⟨G, P⟩, which has the same shape.
        return arg;
      default:
        return T.fn(node.fn, arg);
    }
  }

  buildBinary(node: Extract<Ast, { kind: 'binary' }>, a: Term, b: Term, shape: Shape): Term {
    const aScalar = isScalarShape(a.shape);
    const bScalar = isScalarShape(b.shape);
    switch (node.op) {
      case '.*':
        if (aScalar || bScalar) return T.mul([a, b]);
        return T.hmul([a, b]);
      case './':
        if (bScalar) return T.mul([a, reciprocal(b)]);
        if (aScalar) return T.hdiv(T.mul([a, T.ones(shape)]), b);
        return T.hdiv(a, b);
      case '/':
        return T.mul([a, reciprocal(b)]);
      case '.^':
        if (!isScalarShape(b.shape)) return variablePower(a, b);
        this.requireSaneExponent(node, b);
        return T.epow(a, b);
      case '^': {
        const [ca, cb] = [scalarConstant(a), scalarConstant(b)];
        if (ca !== undefined && cb !== undefined && !Number.isFinite(ca ** cb)) {
          // 2^2^2^2^2^2: refused like a literal Infinity, rather than a function that is never finite.
          this.fail(diag('shape/constant-overflow', this.at(node.span), this.text(node)));
        }
        // `e^x` with the constant e (grammar/README.md, "Constants") is exp(x): the same function,
        // printed and differentiated as the exponential rather than as a power of 2.718….
        if (isEulerConstant(node.left, this.source.text)) return T.fn('exp', b);
        if (aScalar) {
          this.requireSaneExponent(node, b);
          return T.epow(a, b);
        }
        const k = constantValue(node.right);
        if (k === undefined || !Number.isInteger(k)) {
          this.fail(diag('shape/matrix-power', this.at(node.right.span), this.text(node.right)));
        }
        if (Math.abs(k) > MAX_MATRIX_POWER) {
          this.fail(diag('shape/power-too-large', this.at(node.right.span), this.text(node.right), MAX_MATRIX_POWER));
        }
        if (k === 1) return a;
        if (k === 0) return T.eye(a.shape[0]);
        if (k === -1) return T.inv(a);
        if (k < 0) return T.mpow(T.inv(a), -k);
        return T.mpow(a, k);
      }
      default:
        throw new Error(`unexpected operator ${node.op}`);
    }
  }

  /** x.^1e308 is refused (MC2022): a constant exponent beyond MAX_POWER_EXPONENT is never meant. */
  requireSaneExponent(node: Extract<Ast, { kind: 'binary' }>, exponent: Term): void {
    // User input only: a rule's template computes exponents from bound ones (?p − 1 for x.^−10000).
    if (this.options.patternTerms !== undefined || this.options.patternShapes !== undefined) return;
    const e = scalarConstant(exponent);
    if (e !== undefined && Math.abs(e) > MAX_POWER_EXPONENT) {
      this.fail(diag('shape/exponent-too-large', this.at(node.right.span), this.text(node.right), MAX_POWER_EXPONENT));
    }
  }

  readonly definitionTerms = new Map<string, Term>();
}

/**
 * The largest constant exponent of an element-wise or scalar power, in absolute value: x.^1e308 is
 * ∞ for every |x| > 1 and 0 for every |x| < 1, a function no gradient check can ever evaluate.
 */
export const MAX_POWER_EXPONENT = 10_000;

/**
 * The largest matrix power: the pullback of Xᵏ has k terms (collected afterwards), so X^1000000000
 * would take minutes and gigabytes; a product of 10,000 factors is the same size and is allowed.
 */
const MAX_MATRIX_POWER = 10_000;

interface ChainOperand {
  readonly node: Ast;
  readonly negated: boolean;
}

/**
 * A.^X with a matrix exponent X (NumPy's a**x): exp(X ⊙ log A), for a scalar base exp(log(a)·X).
 * The same function for A > 0, which its derivative in X (through log A) needs anyway; the check
 * draws positive bases, as for log.
 */
function variablePower(base: Term, exponent: Term): Term {
  const log = T.fn('log', base);
  return T.fn('exp', isScalarShape(base.shape) ? T.mul([log, exponent]) : T.hmul([exponent, log]));
}

function negate(t: Term): Term {
  if (t.kind === 'num') return T.num(-t.value);
  return T.mul([T.num(-1), t]);
}

function reciprocal(t: Term): Term {
  if (t.kind === 'num' && t.value !== 0) return T.num(1 / t.value);
  return T.epow(t, T.num(-1));
}

/** The value of a scalar term built from numbers alone (2^2^2), if it is one. */
function scalarConstant(t: Term): number | undefined {
  // A term with a variable is never one: no walk (x·x·…·x, 20,001 deep, overflowed the stack).
  if (!t.constant) return undefined;
  const hit = constantValues.get(t);
  if (hit !== undefined || constantValues.has(t)) return hit;
  // Children first, without recursion: 2*2*…*2 nests as deep as it is long.
  for (const node of postOrder([t], (n) => !constantValues.has(n))) constantValues.set(node, ownConstant(node));
  return constantValues.get(t);
}

/** Values of constant terms, for scalarConstant. */
let constantValues = new WeakMap<Term, number | undefined>();
T.onTermsReset(() => (constantValues = new WeakMap()));

/** One node's constant value from its children's (already in constantValues). */
function ownConstant(t: Term): number | undefined {
  const value = (c: Term) => constantValues.get(c);
  if (t.kind === 'num') return t.value;
  if (t.kind === 'epow') {
    const base = value(t.base);
    const exponent = value(t.exponent);
    return base === undefined || exponent === undefined ? undefined : base ** exponent;
  }
  if (t.kind === 'mul' && isScalarShape(t.shape)) {
    let product = 1;
    for (const f of t.factors) {
      const v = value(f);
      if (v === undefined) return undefined;
      product *= v;
    }
    return product;
  }
  return undefined;
}

/** The value of a constant exponent written as a number or a negated number. */
function constantValue(node: Ast): number | undefined {
  if (node.kind === 'number') return node.value;
  if (node.kind === 'negate' && node.operand.kind === 'number') return -node.operand.value;
  return undefined;
}

/** Uppercase first letter (Latin or Greek) ⇒ a matrix by default. */
function isMatrixName(name: string): boolean {
  const first = [...name][0] ?? '';
  return first !== first.toLowerCase() && first === first.toUpperCase();
}

/**
 * The operands pass 2 builds a node from. A chain of + and - (or of *) written left to right is
 * one n-ary node: its operands are the leaves of the chain, so a 100,000-term sum is built in
 * linear time instead of re-copying ever longer operand lists.
 */
function buildChildren(node: Ast, isScalarSub: (n: Ast) => boolean): readonly ChainOperand[] {
  if (node.kind === 'binary' && (node.op === '+' || node.op === '-')) {
    const operands: ChainOperand[] = [];
    let cursor: Ast = node;
    while (cursor.kind === 'binary' && (cursor.op === '+' || cursor.op === '-')) {
      operands.push({ node: cursor.right, negated: cursor.op === '-' });
      cursor = cursor.left;
    }
    operands.push({ node: cursor, negated: false });
    return operands.reverse();
  }
  if (node.kind === 'binary' && node.op === '*') {
    const operands: ChainOperand[] = [];
    let cursor: Ast = node;
    while (cursor.kind === 'binary' && cursor.op === '*') {
      operands.push({ node: cursor.right, negated: false });
      // (xᵀSx)x: a scalar-valued sub-product scales what follows; flattening it into the chain
      // would multiply x by x. It stays one factor.
      if (cursor.left.kind === 'binary' && cursor.left.op === '*' && isScalarSub(cursor.left) && !isScalarSub(node)) {
        cursor = cursor.left;
        break;
      }
      cursor = cursor.left;
    }
    operands.push({ node: cursor, negated: false });
    return operands.reverse();
  }
  return astChildren(node).map((n) => ({ node: n, negated: false }));
}

/**
 * Rule templates are instantiated once per node of the sweep, always with bound terms of a few
 * shapes: pass 1 (inference) depends on the template and those shapes only, so its result is kept
 * per template and shape signature and only pass 2 (building, with the new terms) runs again.
 */
const templateInferences = new Map<Ast, Map<string, Inference>>();
T.onTermsReset(() => templateInferences.clear());

function templateSignature(program: Program, options: ShapeOptions): string | undefined {
  const bound = options.patternTerms;
  const target = options.targetShape;
  if (
    bound === undefined ||
    target === undefined ||
    program.definitions.length > 0 ||
    options.patternShapes !== undefined ||
    options.boundNames !== undefined ||
    options.dims !== undefined ||
    options.square !== undefined ||
    options.requireScalar
  ) {
    return undefined;
  }
  const dim = (d: Dim) => (typeof d === 'number' ? `#${d}` : `'${d}`);
  let key = `${dim(target[0])}x${dim(target[1])}`;
  for (const [name, t] of bound) key += `|${name}:${dim(t.shape[0])}x${dim(t.shape[1])}`;
  return key;
}

/** Infers shapes for a whole program (definitions, then the body) and builds its core term. */
export function inferShapes(program: Program, source: Source, options: ShapeOptions = {}): Result<TypedProgram> {
  const signature = templateSignature(program, options);
  if (signature !== undefined) {
    const cached = templateInferences.get(program.body)?.get(signature);
    if (cached !== undefined && cached.source === source) {
      return catchDiagnostics(() => {
        cached.options = options;
        return buildProgram(cached, program);
      });
    }
  }
  return catchDiagnostics(() => {
    const inf = new Inference(source, options);
    // A name used in a definition at or before its own definition would silently become a free
    // variable: find the first use of every name, by definition, in one pass, and refuse that.
    const firstUses = new Map<string, { index: number; span: Span }>();
    program.definitions.forEach((def, index) => {
      const stack: Ast[] = [def.value];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (node.kind === 'name') {
          const seen = firstUses.get(node.name);
          if (!seen || (seen.index === index && node.span.start < seen.span.start)) {
            if (!seen) firstUses.set(node.name, { index, span: node.span });
            else seen.span = node.span;
          }
        }
        stack.push(...astChildren(node));
      }
    });
    program.definitions.forEach((def, index) => {
      const use = firstUses.get(def.name);
      if (use && use.index <= index) {
        const what = use.index === index ? 'used here, inside its own definition' : 'first used here';
        inf.fail(diag('shape/defined-late', { source, span: def.nameSpan, notes: [{ message: what, span: use.span }] }, def.name, positionOf(source.text, use.span.start)));
      }
    });
    for (const def of program.definitions) {
      if (options.dims?.has(def.name)) {
        inf.fail(diag('shape/defined-and-declared', inf.at(def.nameSpan), def.name, '--dims'));
      }
      inf.defined.set(def.name, inf.infer(def.value));
    }
    const bodyShape = inf.infer(program.body);
    if (options.requireScalar && !inf.makeScalar(bodyShape)) {
      inf.fail(
        diag(
          'shape/not-scalar',
          inf.at(program.body.span),
          `${inf.text(program.body)} (${inf.showShape(bodyShape)})`,
          typeof options.requireScalar === 'string' ? options.requireScalar : 'grad',
        ),
      );
    }
    if (options.targetShape) {
      const target = inf.fromShape(options.targetShape);
      if (!inf.unifyShapes(bodyShape, target)) {
        inf.fail(
          diag('rules/malformed', inf.at(program.body.span), `${inf.text(program.body)} has shape ${inf.showShape(bodyShape)}, expected ${shapeText(options.targetShape)}`),
        );
      }
    }
    if (signature !== undefined) {
      let bySignature = templateInferences.get(program.body);
      if (bySignature === undefined) {
        bySignature = new Map();
        templateInferences.set(program.body, bySignature);
      }
      bySignature.set(signature, inf);
    }
    return buildProgram(inf, program);
  });
}

/** Pass 2: resolves the variables' shapes and builds the terms of the definitions and the body. */
function buildProgram(inf: Inference, program: Program): TypedProgram {
  {
    // Resolve variable shapes first, in order of appearance, so dimension names read naturally (X: n×m, b: m).
    const variables = new Map<string, Shape>();
    for (const [name, s] of inf.variables) variables.set(name, inf.resolve(s));
    const built = new Map<Ast, Term>();
    const definitionNames = new Map<Term, string>();
    for (const def of program.definitions) {
      const term = inf.build(def.value, built);
      inf.definitionTerms.set(def.name, term);
      if (!definitionNames.has(term) && term.kind !== 'var') definitionNames.set(term, def.name);
    }
    const term = inf.build(program.body, built);
    return {
      term,
      variables,
      definitions: new Map(inf.definitionTerms),
      definitionNames,
      freeDims: inf.namer.names(),
      variableSpans: inf.variableSpans,
    };
  }
}

export type { Dim };

/** The number e as the reader reads the word `e` (not a literal 2.718… someone typed). */
function isEulerConstant(node: Ast, text: string): boolean {
  return node.kind === 'number' && node.value === Math.E && text.slice(node.span.start, node.span.end).trim() === 'e';
}
