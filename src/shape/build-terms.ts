import { diag, InternalError, unreachable } from '../diagnostics/diagnostic.js';
import { astChildren, type Ast, type FunctionName } from '../syntax/ast.js';
import * as T from '../term/factory.js';
import { isScalarShape, opDeclaration, type OpName, type Shape, type Term } from '../term/term.js';
import { constantValue, scalarConstant } from './constant-value.js';
import { Inference, isEulerConstant } from './inference.js';
import type { IShape } from './program-types.js';

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

/** An exponent's text, parenthesised unless it is one name or number. */
function wrapped(text: string): string {
  return /^[\p{L}\p{N}_]+$/u.test(text) || /^\(.*\)$/.test(text) ? text : `(${text})`;
}

function negate(t: Term): Term {
  if (t.kind === 'num') return T.num(-t.value);
  return T.mul([T.num(-1), t]);
}

function reciprocal(t: Term): Term {
  if (t.kind === 'num' && t.value !== 0) return T.num(1 / t.value);
  return T.epow(t, T.num(-1));
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

export class TermBuilder extends Inference {
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
        const dimension = this.dimensionTerms.get(node.name);
        if (dimension) return dimension;
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
      case 'op':
        this.requireIntegerParameters(node, kids.map((_, i) => child(i)));
        return opTerm(node.op, kids.map((_, i) => child(i)));
      case 'binary': {
        if (node.op === '+' || node.op === '-') {
          const terms = kids.map((k, i) => {
            let t = child(i);
            if (isScalarShape(t.shape) && !isScalarShape(shape)) t = T.mul([t, T.ones(shape)]);
            // A row added to a matrix of several rows (inference.ts rowBroadcast): 𝟙bᵀ, a copy in every row.
            else if (t.shape[0] === 1 && shape[0] !== 1) t = T.mul([T.ones([shape[0], 1]), t]);
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
      case 'vector':
      case 'matrix':
        return T.mul([arg, T.ones(shape)]);
      case 'd':
        // Only rule patterns contain d(·); the rule checks build ⟨G, d(P)⟩ as ⟨G, P⟩, which has the same shape.
        return arg;
    }
    // Every other name: callTerm's parameter type is exactly the rest, so a new name needs a case there.
    return callTerm(node.fn, arg);
  }

  buildBinary(node: Extract<Ast, { kind: 'binary' }>, a: Term, b: Term, shape: Shape): Term {
    const aScalar = isScalarShape(a.shape);
    switch (node.op) {
      case '.*':
      case './':
        return elementwiseTerm(node.op, a, b, shape);
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

/**
 * The term A .* B or A ./ B builds from its (typed) operands, of `shape`: with a scalar operand a
 * product (or a quotient spread over 𝟙). One reading, for the shape stage and for the rule matcher's
 * and the reverse sweep's direct build (rewrite/local-rules.ts, buildDirect).
 */
export function elementwiseTerm(op: '.*' | './', a: Term, b: Term, shape: Shape): Term {
  const aScalar = isScalarShape(a.shape);
  const bScalar = isScalarShape(b.shape);
  if (op === '.*') return aScalar || bScalar ? T.mul([a, b]) : T.hmul([a, b]);
  if (bScalar) return T.mul([a, reciprocal(b)]);
  if (aScalar) return T.hdiv(T.mul([a, T.ones(shape)]), b);
  return T.hdiv(a, b);
}

/**
 * The term a call of a function builds from its (typed) argument: the shape stage's reading of tr,
 * det, inv, diag, square and the element-wise functions. The rule matcher builds replacements with
 * it too (rewrite/local-rules.ts), so the two cannot read a function differently. The fills
 * vector(·)/matrix(·) and the rule files' d(·) depend on where they stand: their callers decide.
 */
/**
 * An op applied to built arguments. The spectral and nuclear norms of a vector (or a 1×1) are its
 * Euclidean norm — one singular value, ‖x‖ — so ‖x‖₂ builds norm2 and prints and differentiates as
 * ever; only a matrix argument keeps the op.
 */
export function opTerm(op: OpName, args: readonly Term[]): Term {
  const only = args[0]!;
  if ((op === 'specnorm' || op === 'nucnorm') && (only.shape[0] === 1 || only.shape[1] === 1)) return T.reduce('norm2', only);
  return T.op(op, args);
}

export function callTerm(fn: Exclude<FunctionName, 'vector' | 'matrix' | 'd'>, arg: Term): Term {
  switch (fn) {
    case 'tr':
      return T.reduce('trace', arg);
    case 'det':
    case 'logdet':
    case 'sum':
    case 'norm1':
    case 'norm2':
      return T.reduce(fn, arg);
    case 'inv':
      return isScalarShape(arg.shape) ? T.epow(arg, T.num(-1)) : T.inv(arg);
    case 'diag':
      if (isScalarShape(arg.shape)) return arg;
      return arg.shape[1] === 1 ? T.diagm(arg) : T.diag(arg);
    case 'square':
      return T.epow(arg, T.num(2)); // np.square(x) is x.^2, and prints as that
    case 'log':
      return logOfOp(arg) ?? T.fn('log', arg);
  }
  // Every other name is an element-wise function: T.fn takes only those, so a new name that is not
  // one fails to compile here instead of being built as one.
  return T.fn(fn, arg);
}

/**
 * The log-sum-exp family written out is read as its op (grammar/README.md, "Functions of vectors"):
 * the same function, which prints as the textbook writes it (∇ log Σ exp(xᵢ) = softmax(x)) and is
 * emitted without overflow (np.log(np.sum(np.exp(x))) is inf at x = 1000). Only of a column vector,
 * the ops' argument: log(sum(exp(X))) of a matrix stays as written.
 *   log(sum(exp(x))) → logsumexp(x)        log(softmax(x)) → log_softmax(x)
 */
function logOfOp(arg: Term): Term | undefined {
  if (arg.kind === 'sum' && arg.operand.kind === 'fn' && arg.operand.fn === 'exp' && isColumn(arg.operand.operand)) {
    return T.op('logsumexp', [arg.operand.operand]);
  }
  if (arg.kind === 'op' && arg.op === 'softmax') return T.op('log_softmax', arg.args);
  return undefined;
}

/** exp(x)/sum(exp(x)) → softmax(x), for a column x (see logOfOp). */
function softmaxWritten(numerator: Term, denominator: Term): Term | undefined {
  if (numerator.kind !== 'fn' || numerator.fn !== 'exp' || !isColumn(numerator.operand)) return undefined;
  return denominator.kind === 'sum' && denominator.operand === numerator ? T.op('softmax', [numerator.operand]) : undefined;
}

function isColumn(t: Term): boolean {
  return t.shape[1] === 1 && t.shape[0] !== 1;
}
