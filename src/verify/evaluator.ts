import { dimSize } from '../term/dim-product.js';
import { InternalError } from '../diagnostics/diagnostic.js';
import { isScalarShape, shapeText, type Dim, type Term, type TermOf } from '../term/term.js';
import * as dense from './dense.js';
import { Dense, Lu } from './dense.js';
import { DOMAIN_LOWER_BOUND, ELEMENTWISE, KINK_FNS, MIN_NORMAL } from './elementwise-values.js';
import type { EvalContext, EvalIssue, EvalOptions } from './eval-types.js';
import { multiplyChain } from './matrix-chain.js';
import { OP_VALUES } from './op-values.js';

/**
 * One node's value from its children's, with the semantics of term.ts, and the reasons a value is
 * unfit for checking a derivative (outside a domain, near a kink, ill-conditioned, not finite). The
 * walks over the DAG that call it are in evaluate.ts; this is the per-node arithmetic and checks.
 */

const DEFAULT_KINK_MARGIN = 1e-3;
const DEFAULT_CONDITION_LIMIT = 1e8;

export class Evaluator {
  readonly issues: EvalIssue[] = [];
  private readonly collect: boolean;
  private readonly kinkMargin: number;
  private readonly conditionLimit: number;
  private readonly kinkSigns: Map<Term, Int8Array> | undefined;
  /** LU factors by the factored term, made on first use (most evaluations factor nothing). */
  private lus: Map<Term, Lu> | undefined;

  constructor(
    private readonly ctx: EvalContext,
    options: EvalOptions,
  ) {
    this.collect = options.collectIssues ?? true;
    this.kinkMargin = options.kinkMargin ?? DEFAULT_KINK_MARGIN;
    this.conditionLimit = options.conditionLimit ?? DEFAULT_CONDITION_LIMIT;
    this.kinkSigns = options.kinkSigns;
  }

  private size(d: Dim): number {
    if (typeof d === 'number') return d;
    const n = dimSize(d, this.ctx.dimSizes);
    if (n === undefined) throw new InternalError(`evaluate: no size for dimension '${d}'`);
    return n;
  }

  private issue(kind: EvalIssue['kind'], message: string, term: Term): void {
    this.issues.push({ kind, message, term });
  }

  /**
   * The node's value from `args`, the values of its children in childrenOf's order (a plan gathers
   * them by position, without looking each child up by term), or from `computed` when given.
   */
  compute(term: Term, args: readonly Dense[], computed?: () => Dense): Dense {
    const before = this.issues.length;
    const value = computed ? computed() : this.computeValue(term, args);
    // Report non-finite values where they arise, not again at every ancestor, and not when the
    // node already has a more precise issue (log of a negative number is a domain issue).
    if (this.collect && this.issues.length === before && !dense.allFinite(value)) {
      if (args.every((a) => dense.allFinite(a))) {
        this.issue('non-finite', `${describe(term)} has a non-finite value (${firstNonFinite(value)})`, term);
      }
    }
    return value;
  }

  private computeValue(term: Term, args: readonly Dense[]): Dense {
    switch (term.kind) {
      case 'var': {
        const v = this.ctx.values.get(term.name);
        if (v === undefined) throw new InternalError(`evaluate: no value for variable ${term.name}`);
        const rows = this.size(term.shape[0]);
        const cols = this.size(term.shape[1]);
        if (v.rows !== rows || v.cols !== cols) {
          throw new InternalError(`evaluate: ${term.name} is ${v.rows}×${v.cols}, its shape says ${rows}×${cols}`);
        }
        return v;
      }
      case 'num':
        return Dense.scalar(term.value);
      case 'zero':
        return dense.fill(this.size(term.shape[0]), this.size(term.shape[1]), 0);
      case 'ones':
        return dense.fill(this.size(term.shape[0]), this.size(term.shape[1]), 1);
      case 'eye':
        return dense.identity(this.size(term.shape[0]));
      case 'add': {
        // One result, summed into in place: a sum of 2,000 terms is not 2,000 intermediate matrices.
        const acc = dense.add(args[0]!, args[1]!);
        for (let i = 2; i < args.length; i++) dense.addInto(acc, args[i]!);
        return acc;
      }
      case 'mul':
        return this.product(term, args);
      case 'hmul': {
        let acc = args[0]!;
        for (let i = 1; i < args.length; i++) acc = dense.hadamard(acc, args[i]!);
        return acc;
      }
      case 'hdiv':
        return dense.divide(args[0]!, args[1]!);
      case 'transpose':
        return dense.transpose(args[0]!);
      case 'inv': {
        const a = args[0]!;
        const lu = this.factor(term.operand, a);
        const inverse = lu.inverse();
        if (this.collect && dense.allFinite(a)) this.checkCondition(term, a, lu, inverse);
        return inverse;
      }
      case 'mpow':
        return dense.matrixPower(args[0]!, term.exponent);
      case 'epow':
        return this.elementPower(term, args[0]!, args[1]!.scalarValue());
      case 'fn':
        return this.elementwise(term, args[0]!);
      case 'trace':
        return Dense.scalar(dense.trace(args[0]!));
      case 'det':
      case 'logdet': {
        const a = args[0]!;
        const lu = this.factor(term.operand, a);
        // A non-finite argument was reported where it arose; its determinant says nothing more.
        if (this.collect && dense.allFinite(a)) {
          if (term.kind === 'logdet' && !(lu.sign > 0)) {
            this.issue('domain', `logdet of a matrix with ${lu.sign === 0 ? 'zero' : 'negative'} determinant (det = ${fmt(lu.det)})`, term);
          }
          this.checkCondition(term, a, lu, lu.inverse());
        }
        return Dense.scalar(term.kind === 'det' ? lu.det : lu.logdet);
      }
      case 'sum':
        return Dense.scalar(dense.sum(args[0]!));
      case 'norm1': {
        const a = args[0]!;
        if (this.collect) this.checkKink(term, a);
        return Dense.scalar(dense.norm1(a));
      }
      case 'norm2': {
        const a = args[0]!;
        const norm = dense.normFrobenius(a);
        if (this.collect && norm <= this.kinkMargin * (1 + dense.maxAbs(a))) {
          this.issue('kink', `norm2 of an almost zero argument (‖·‖ = ${fmt(norm)})`, term);
        }
        return Dense.scalar(norm);
      }
      case 'inner':
        return Dense.scalar(dense.frobeniusInner(args[0]!, args[1]!));
      case 'diag':
        return dense.diag(args[0]!);
      case 'diagm':
        return dense.diagm(args[0]!);
      case 'op':
        return OP_VALUES[term.op]({
          args,
          issue: (kind, message) => {
            if (this.collect) this.issue(kind, message, term);
          },
        });
    }
  }

  /** Scalars multiply as numbers; the matrices chain in order, bracketed by the cheapest split. */
  private product(term: TermOf<'mul'>, args: readonly Dense[]): Dense {
    let coefficient = 1;
    const chain: Dense[] = [];
    for (let i = 0; i < args.length; i++) {
      const v = args[i]!;
      if (isScalarShape(term.factors[i]!.shape)) coefficient *= v.scalarValue();
      else chain.push(v);
    }
    if (chain.length === 0) return Dense.scalar(coefficient);
    const product = multiplyChain(chain);
    return coefficient === 1 ? product : dense.scale(product, coefficient);
  }

  private factor(operand: Term, a: Dense): Lu {
    this.lus ??= new Map();
    let lu = this.lus.get(operand);
    if (lu === undefined) {
      lu = new Lu(a);
      this.lus.set(operand, lu);
    }
    return lu;
  }

  private checkCondition(term: Term, a: Dense, lu: Lu, inverse: Dense): void {
    if (lu.singular) {
      this.issue('ill-conditioned', `${term.kind} of a singular matrix`, term);
      return;
    }
    const condition = dense.normFrobenius(a) * dense.normFrobenius(inverse);
    if (!(condition <= this.conditionLimit)) {
      this.issue('ill-conditioned', `${term.kind} of an ill-conditioned matrix (condition ≈ ${fmt(condition)})`, term);
    }
  }

  private elementPower(term: TermOf<'epow'>, base: Dense, e: number): Dense {
    const out = dense.map(base, (x) => Math.pow(x, e));
    if (this.collect) {
      this.checkUnderflow(term, base, out);
      const integer = Number.isInteger(e);
      for (const x of base.data) {
        if (x < 0 && !integer) {
          this.issue('domain', `power ${fmt(e)} of a negative value (${fmt(x)})`, term);
          break;
        }
        if (x === 0 && e < 0) {
          this.issue('domain', `negative power ${fmt(e)} of zero`, term);
          break;
        }
      }
    }
    return out;
  }

  private elementwise(term: TermOf<'fn'>, a: Dense): Dense {
    const out = dense.map(a, ELEMENTWISE[term.fn]);
    if (!this.collect) return out;
    if (term.fn === 'exp') this.checkUnderflow(term, a, out);
    const lower = DOMAIN_LOWER_BOUND[term.fn];
    if (lower !== undefined) {
      const bad = a.data.find((x) => x <= lower);
      if (bad !== undefined) this.issue('domain', `${term.fn} of a ${lower === 0 ? 'non-positive value' : `value ≤ ${fmt(lower)}`} (${fmt(bad)})`, term);
    } else if (term.fn === 'sqrt') {
      const bad = a.data.find((x) => x < 0);
      if (bad !== undefined) this.issue('domain', `sqrt of a negative value (${fmt(bad)})`, term);
    } else if (KINK_FNS.has(term.fn)) {
      this.checkKink(term, a);
    }
    return out;
  }

  /**
   * A power or exponential that lands below the normal floating-point range from a nonzero argument
   * (x^999999 at |x| < 1, exp(−800)) has lost its value: f and its gradient both read 0 there, and
   * their agreement proves nothing. Such a draw is refused like a non-finite one, so a check that
   * finds no other draw is inconclusive, never passed.
   */
  private checkUnderflow(term: Term, argument: Dense, out: Dense): void {
    for (let i = 0; i < out.data.length; i++) {
      const y = out.data[i]!;
      if (Math.abs(y) < MIN_NORMAL && argument.data[i] !== 0) {
        this.issue('underflow', `${describe(term)} underflows below the floating-point range (to ${fmt(y)} at an argument of ${fmt(argument.data[i]!)})`, term);
        return;
      }
    }
  }

  /** abs, relu, sign, step and norm1 are not differentiable where an entry of the argument is 0. */
  private checkKink(term: Term, a: Dense): void {
    const name = term.kind === 'fn' ? term.fn : term.kind;
    const limit = this.kinkMargin * (1 + dense.maxAbs(a));
    let closest = Infinity;
    for (const x of a.data) closest = Math.min(closest, Math.abs(x));
    if (closest <= limit) {
      this.issue('kink', `${name} of a value near its kink at 0 (${fmt(closest)} ≤ ${fmt(limit)})`, term);
    }
    if (this.kinkSigns !== undefined) {
      const signs = Int8Array.from(a.data, (x) => Math.sign(x));
      const reference = this.kinkSigns.get(term);
      if (reference === undefined) {
        this.kinkSigns.set(term, signs);
      } else if (reference.some((s, i) => s !== signs[i])) {
        this.issue('kink', `${name} crosses its kink at 0 between the points compared`, term);
      }
    }
  }
}

function describe(term: Term): string {
  const what = term.kind === 'fn' ? term.fn : term.kind === 'var' ? `variable ${term.name}` : term.kind;
  return `${what} (${shapeText(term.shape)})`;
}

function firstNonFinite(a: Dense): string {
  const x = a.data.find((v) => !Number.isFinite(v));
  return String(x);
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? String(Number(x.toPrecision(6))) : x.toExponential(3);
}
