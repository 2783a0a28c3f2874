import { diag, InternalError, unreachable } from '../diagnostics/diagnostic.js';
import { astChildren, type Ast } from '../syntax/ast.js';
import * as T from '../term/factory.js';
import { isScalarShape, opDeclaration, type Shape, type Term } from '../term/term.js';
import { constantValue, scalarConstant } from './constant-value.js';
import { Inference, isEulerConstant } from './inference.js';
import type { IShape } from './program-types.js';
import { callTerm, elementwiseTerm, opTerm, reciprocal, softmaxWritten } from './written-terms.js';

/**
 * Pass 2 of the shape stage: builds the core term of each node from the shapes pass 1
 * (inference.ts) decided, flattening + and * chains into n-ary nodes and refusing constants that
 * overflow. It extends the inference (the same state, read here) and is what infer.ts creates.
 */

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

/**
 * A.^X with a matrix exponent X (NumPy's a**x): exp(X ⊙ log A), for a scalar base exp(log(a)·X).
 * The same function for A > 0, which its derivative in X (through log A) needs anyway; the check
 * draws positive bases, as for log.
 */
function variablePower(base: Term, exponent: Term): Term {
  const log = T.fn('log', base);
  return T.fn('exp', isScalarShape(base.shape) ? T.mul([log, exponent]) : T.hmul([exponent, log]));
}

/** An exponent's text, parenthesised unless it is one name or number. */
function wrapped(text: string): string {
  return /^[\p{L}\p{N}_]+$/u.test(text) || /^\(.*\)$/.test(text) ? text : `(${text})`;
}

function negate(t: Term): Term {
  if (t.kind === 'num') return T.num(-t.value);
  return T.mul([T.num(-1), t]);
}

/**
 * The operands pass 2 builds a node from. A chain of + and - (or of *) written left to right is
 * one n-ary node: its operands are the leaves of the chain, so a 100,000-term sum is built in
 * linear time instead of re-copying ever longer operand lists. A sum's operands come with whether
 * each is subtracted (`negated`); the other nodes' operands are their own (astChildren).
 */
function sumOperands(node: Ast, negated: boolean[]): Ast[] {
  const operands: Ast[] = [];
  let cursor: Ast = node;
  while (cursor.kind === 'binary' && (cursor.op === '+' || cursor.op === '-')) {
    operands.push(cursor.right);
    negated.push(cursor.op === '-');
    cursor = cursor.left;
  }
  operands.push(cursor);
  negated.push(false);
  negated.reverse();
  return operands.reverse();
}

function productOperands(node: Ast, isScalarSub: (n: Ast) => boolean): Ast[] {
  const operands: Ast[] = [];
  let cursor: Ast = node;
  while (cursor.kind === 'binary' && cursor.op === '*') {
    operands.push(cursor.right);
    // (xᵀSx)x: a scalar-valued sub-product scales what follows; flattening it into the chain
    // would multiply x by x. It stays one factor.
    if (cursor.left.kind === 'binary' && cursor.left.op === '*' && isScalarSub(cursor.left) && !isScalarSub(node)) {
      cursor = cursor.left;
      break;
    }
    cursor = cursor.left;
  }
  operands.push(cursor);
  return operands.reverse();
}

/** Stands in for a shape elementwiseTerm does not read (a Hadamard product, a quotient by a non-scalar matrix). */
const SCALAR_UNUSED: Shape = [1, 1];

export class TermBuilder extends Inference {
  // ── pass 2: build terms ──────────────────────────────────────────────────

  resolve(s: IShape): Shape {
    return [this.namer.dim(s[0]), this.namer.dim(s[1])];
  }

  /**
   * Builds the core term for `root` bottom-up, iteratively, flattening + and * chains into n-ary
   * nodes. The operands' terms are handed to buildNode on a value stack, and a node's resolved shape
   * is asked for only by the cases that use it (shapeAt): no Map lookup per node. A subtree met
   * twice is built twice, into the same hash-consed term.
   */
  build(root: Ast): Term {
    this.#variables.clear();
    const isScalarSub = (n: Ast) => this.isScalar(this.shapeOf(n));
    const pending: Ast[] = [root];
    // Per pending node: −1 before its operands are pushed, then how many there are.
    const counts: number[] = [-1];
    // Per pending sum: which operands are subtracted.
    const signs: (boolean[] | undefined)[] = [undefined];
    const values: Term[] = [];
    while (pending.length > 0) {
      const top = pending.length - 1;
      const node = pending[top]!;
      if (counts[top] === -1) {
        let operands: readonly Ast[];
        if (node.kind === 'binary' && (node.op === '+' || node.op === '-')) {
          const negated: boolean[] = [];
          operands = sumOperands(node, negated);
          signs[top] = negated;
        } else if (node.kind === 'binary' && node.op === '*') {
          operands = productOperands(node, isScalarSub);
        } else {
          operands = astChildren(node);
        }
        counts[top] = operands.length;
        if (operands.length > 0) {
          for (let i = operands.length - 1; i >= 0; i--) {
            pending.push(operands[i]!);
            counts.push(-1);
            signs.push(undefined);
          }
          continue;
        }
      }
      const count = counts[top]!;
      const negated = signs[top];
      pending.pop();
      counts.pop();
      signs.pop();
      const kids = values.splice(values.length - count, count);
      values.push(this.buildNode(node, kids, negated));
    }
    return values[0]!;
  }

  /**
   * A variable's term, made once per build: a name has one shape, and making its interning key
   * (name and shape as text) at each of a large input's occurrences is most of a leaf's cost.
   * Kept for one build only: a cached rule template's builder outlives the term tables.
   */
  variableTerm(node: Extract<Ast, { kind: 'name' }>): Term {
    let term = this.#variables.get(node.name);
    if (term === undefined) {
      term = T.variable(node.name, this.shapeAt(node));
      this.#variables.set(node.name, term);
    }
    return term;
  }

  readonly #variables = new Map<string, Term>();

  /** The resolved shape of a node (pass 1's classes named): only for the nodes whose term needs it. */
  shapeAt(node: Ast): Shape {
    return this.resolve(this.shapeOf(node));
  }

  /**
   * A node's term from its operands' terms. Nodes whose shape is not asked for are made of their
   * operands' dimension classes only, so skipping it hands out the same dimension names in the same
   * order (DimNamer names a class when first resolved; every leaf and op that brings a new class in
   * resolves it here, before any node above it).
   */
  buildNode(node: Ast, kids: readonly Term[], negated: readonly boolean[] | undefined): Term {
    switch (node.kind) {
      case 'name': {
        const bound = this.options.boundNames?.get(node.name);
        if (bound) return bound;
        const def = this.definitionTerms.get(node.name);
        if (def) return def;
        const dimension = this.dimensionTerms.get(node.name);
        if (dimension) return dimension;
        return this.variableTerm(node);
      }
      case 'pattern': {
        const bound = this.options.patternTerms?.get(node.name);
        if (bound) return bound;
        return T.variable(node.name, this.shapeAt(node)); // an unbound pattern variable stands for itself (rule checks)
      }
      case 'number':
        return T.num(node.value);
      case 'eye':
        return T.eye(this.shapeAt(node)[0]);
      case 'negate':
        return negate(kids[0]!);
      case 'transpose':
        return T.transpose(kids[0]!);
      case 'inner':
        return T.inner(kids[0]!, kids[1]!);
      case 'call':
        return this.buildCall(node, kids[0]!);
      case 'op':
        this.shapeAt(node); // an op's result may bring classes of its own (see above)
        this.requireIntegerParameters(node, kids);
        return opTerm(node.op, kids);
      case 'binary': {
        if (node.op === '+' || node.op === '-') return T.add(this.sumTerms(node, kids, negated!));
        if (node.op === '*') {
          // 1e308*10*x'x: the constants multiply past a double, refused here with a position (MC2021)
          // rather than when the simplifier folds them (MC3003, no position).
          // User input only: a rule template's ?c is bound to a term already accepted.
          const template = this.options.patternTerms !== undefined || this.options.patternShapes !== undefined;
          let constants = 1;
          if (!template) for (const f of kids) constants *= scalarConstant(f) ?? 1;
          if (!Number.isFinite(constants)) {
            const operands = productOperands(node, (n) => this.isScalar(this.shapeOf(n)));
            const named = operands.filter((_, i) => scalarConstant(kids[i]!) !== undefined).map((k) => this.text(k));
            const shown = named.length > 6 ? [...named.slice(0, 3), `… (${named.length} factors) …`, ...named.slice(-2)] : named;
            this.fail(diag('shape/constant-overflow', this.at(node.span), shown.join('*')));
          }
          return T.mul(kids);
        }
        return this.buildBinary(node, kids[0]!, kids[1]!);
      }
    }
  }

  /**
   * A sum's terms: a scalar added to a matrix spread over 𝟙, a row added to a matrix of several rows
   * (inference.ts rowBroadcast) as 𝟙bᵀ, a copy in every row; subtracted ones negated.
   */
  sumTerms(node: Ast, kids: readonly Term[], negated: readonly boolean[]): Term[] {
    let shape: Shape | undefined;
    const terms: Term[] = [];
    for (let i = 0; i < kids.length; i++) {
      let t = kids[i]!;
      if (t.shape[0] === 1) {
        shape ??= this.shapeAt(node);
        if (isScalarShape(t.shape) && !isScalarShape(shape)) t = T.mul([t, T.ones(shape)]);
        else if (shape[0] !== 1) t = T.mul([T.ones([shape[0], 1]), t]);
      }
      terms.push(negated[i] ? negate(t) : t);
    }
    return terms;
  }

  buildCall(node: Extract<Ast, { kind: 'call' }>, arg: Term): Term {
    switch (node.fn) {
      case 'vector':
      case 'matrix':
        return T.mul([arg, T.ones(this.shapeAt(node))]);
      case 'd':
        // Only rule patterns contain d(·); the rule checks build ⟨G, d(P)⟩ as ⟨G, P⟩, which has the same shape.
        return arg;
    }
    // Every other name: callTerm's parameter type is exactly the rest, so a new name needs a case there.
    return callTerm(node.fn, arg);
  }

  buildBinary(node: Extract<Ast, { kind: 'binary' }>, a: Term, b: Term): Term {
    const aScalar = isScalarShape(a.shape);
    switch (node.op) {
      case '.*':
        return elementwiseTerm(node.op, a, b, SCALAR_UNUSED);
      case './':
        // The shape is used only to spread a scalar numerator over 𝟙.
        return elementwiseTerm(node.op, a, b, aScalar && !isScalarShape(b.shape) ? this.shapeAt(node) : SCALAR_UNUSED);
      case '/':
        return softmaxWritten(a, b) ?? T.mul([a, reciprocal(b)]);
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
        if (k === undefined) return this.symbolicPower(node, a, b);
        if (!Number.isInteger(k)) this.fail(diag('shape/matrix-power', this.at(node.right.span), this.text(node.right)));
        if (Math.abs(k) > MAX_MATRIX_POWER) {
          this.fail(diag('shape/power-too-large', this.at(node.right.span), this.text(node.right), MAX_MATRIX_POWER));
        }
        if (k === 1) return a;
        if (k === 0) return T.eye(a.shape[0]);
        if (k === -1) return T.inv(a);
        if (k < 0) return T.mpow(T.inv(a), -k);
        return T.mpow(a, k);
      }
      // Sums and products of any number of operands are built from the flattened list (buildNode).
      case '+':
      case '-':
      case '*':
        throw new InternalError(`buildBinary: '${node.op}' is built as a whole chain`);
    }
    return unreachable(node.op, 'binary operator');
  }

  /**
   * Xⁿ with a symbolic exponent: the op matpow, whose n is an integer parameter (≥ 0, drawn as one by
   * the check, never differentiated). A written negative exponent (X^-n) is refused: inv(X)^n says it.
   */
  symbolicPower(node: Extract<Ast, { kind: 'binary' }>, base: Term, exponent: Term): Term {
    if (node.right.kind === 'negate') {
      const inverse = `inv(${this.text(node.left)})^${wrapped(this.text(node.right.operand))}`;
      this.fail(diag('shape/matrix-power', this.at(node.right.span), this.text(node.right), inverse));
    }
    return T.op('matpow', [base, exponent]);
  }

  /** matpow(X, 2.5) is refused as X^2.5 is (MC2009): a constant integer parameter must be an integer ≥ 0. */
  requireIntegerParameters(node: Extract<Ast, { kind: 'op' }>, args: readonly Term[]): void {
    if (this.options.patternTerms !== undefined || this.options.patternShapes !== undefined) return;
    for (const index of opDeclaration(node.op).integer ?? []) {
      const k = scalarConstant(args[index]!);
      if (k !== undefined && !(Number.isInteger(k) && k >= 0)) this.fail(diag('shape/matrix-power', this.at(node.args[index]!.span), this.text(node.args[index]!)));
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
  readonly dimensionTerms = new Map<string, Term>();

  /**
   * `sum(x)/n`: a name used as a scalar that is the symbol of a free dimension is that dimension as a
   * number (grammar/README.md, "A dimension as a number"), unless the caller declares it a variable.
   * The symbols are the ones the shapes line prints (n, m, …, handed out in order of appearance), so
   * the reading is what the user sees; with one free dimension there is one reading. With several,
   * n could mean a dimension the user does not see as n (`1/m ‖Xw − y‖²` reads X as n×m): refused,
   * with both readings. Returns name → what was read, for a note; fills dimensionTerms for pass 2.
   */
  readDimensions(variables: ReadonlyMap<string, Shape>): Map<string, string> {
    const read = new Map<string, string>();
    const declared = this.options.declaredNames;
    if (declared === undefined) return read;
    const free = this.namer.names();
    for (const [name, shape] of variables) {
      if (!isScalarShape(shape) || !free.includes(name) || declared.has(name) || this.options.dims?.has(name)) continue;
      let carrier: { variable: string; shape: Shape; axis: 0 | 1 } | undefined;
      for (const [other, s] of variables) {
        if (other === name) continue;
        const axis = s[0] === name ? 0 : s[1] === name ? 1 : undefined;
        if (axis !== undefined) {
          carrier = { variable: other, shape: s, axis };
          break;
        }
      }
      if (carrier === undefined) continue;
      const what = carrier.shape[1] === 1 ? `the length of ${carrier.variable}` : `the number of ${carrier.axis === 0 ? 'rows' : 'columns'} of ${carrier.variable}`;
      if (free.length > 1) {
        const shapes = [...variables].filter(([, s]) => !isScalarShape(s)).map(([v, s]) => `${v}: ${s[0]}×${s[1]}`).join(', ');
        this.fail(diag('shape/dimension-or-variable', this.at(this.variableSpans.get(name)!), name, what, shapes));
      }
      read.set(name, what);
      this.dimensionTerms.set(name, T.op(carrier.axis === 0 ? 'nrows' : 'ncols', [T.variable(carrier.variable, carrier.shape)]));
    }
    return read;
  }
}
