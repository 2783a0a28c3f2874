import { diag, DiagnosticError } from '../diagnostics/diagnostic.js';
import type { Rulebook } from '../rewrite/load-rules.js';
import * as T from '../term/factory.js';
import { childrenOf, type Shape, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import { headName, pullbackRuleFor, reverseSweep, ruleContributions } from './reverse-sweep.js';
import { forwardRuleId, type ForwardCodeRule } from '../rewrite/listing.js';

/**
 * The forward sweep (ENGINE.md §5): the differential dF of any term, as a term linear in the
 * directions dX. Each node is visited once, children first, and its differential is built from its
 * children's — so the result is a DAG of the same order of size as F, however many paths there are.
 *
 * The local rule at a node is not written twice. A pullback rule says ⟨G, dY⟩ = Σᵢ ⟨Cᵢ(G), dXᵢ⟩
 * with each Cᵢ linear in G; so dY = Σᵢ ∇_G ⟨Cᵢ(G), dXᵢ⟩, the gradient in G of a tiny linear term,
 * which the reverse sweep computes (d(AB) = dA·B + A·dB comes out of ⟨GBᵀ, dA⟩ + ⟨AᵀG, dB⟩). Every
 * forward rule is the transpose of a pullback rule in rules/pullback.rules, checked with it. Sums,
 * products and Hadamard products are n-ary and handled here (product rule with shared prefixes).
 */

export interface ForwardStep {
  readonly node: Term;
  /** The rule read forward: `fwd.matmul` for pull.matmul; `linear`, `product`, `hadamard-product` for n-ary nodes. */
  readonly rule: string;
  /** d(node) in terms of placeholders for its children's differentials (see `placeholders`); only when recorded. */
  readonly local?: Term;
}

export interface ForwardResult {
  /** dF: linear in the direction variables. */
  readonly differential: Term;
  /** One entry per node that depends on a direction, children first. */
  readonly steps: readonly ForwardStep[];
  /** Placeholder variable → the node whose differential it stands for (for printing `d(Xb)`). */
  readonly placeholders: ReadonlyMap<Term, Term>;
}

export interface ForwardOptions {
  /** Record each node's local rule with placeholders (for --steps). */
  readonly record?: boolean;
  /** Stop with a diagnostic beyond this many visited nodes. */
  readonly maxSteps?: number;
}

/** The variable standing for a node's adjoint while a pullback rule is read forward. */
const ADJOINT = '§G';

function adjointVariable(shape: Shape): Term {
  return T.variable(ADJOINT, shape);
}

function isZero(t: Term): boolean {
  return t.kind === 'zero' || (t.kind === 'num' && t.value === 0);
}

/**
 * @param directions variable name → the direction term replacing its differential (dX, or V for a Hessian)
 */
export function forwardSweep(
  root: Term,
  directions: ReadonlyMap<string, Term>,
  rulebook: Rulebook,
  options: ForwardOptions = {},
): ForwardResult {
  const dependent = T.dependencyTest(directions.keys());
  // One test for the adjoint variable over the whole sweep: the local sweeps share their operands.
  const adjointDependent = T.dependencyTest([ADJOINT]);
  const order = postOrder([root], dependent);
  const maxSteps = options.maxSteps ?? Number.POSITIVE_INFINITY;
  if (order.length > maxSteps) throw new DiagnosticError(diag('diff/limit', {}, 'the forward sweep', maxSteps));

  const differentials = new Map<Term, Term>();
  const steps: ForwardStep[] = [];
  const placeholders = new Map<Term, Term>();
  // Numbered per sweep, in the order the sweep meets them (not by term id, which depends on what the
  // process built before): the simplifier orders a step's terms by these names.
  const placeholderFor = new Map<Term, Term>();
  const placeholderOf = (child: Term): Term => {
    if (child.kind === 'var') return directions.get(child.name) ?? T.zero(child.shape);
    let p = placeholderFor.get(child);
    if (p === undefined) {
      p = T.variable(`§d${placeholderFor.size + 1}`, child.shape);
      placeholderFor.set(child, p);
      placeholders.set(p, child);
    }
    return p;
  };
  const actual = (child: Term): Term => differentials.get(child) ?? T.zero(child.shape);

  for (const node of order) {
    if (node.kind === 'var') {
      differentials.set(node, directions.get(node.name)!);
      continue;
    }
    const { rule, differential } = localDifferential(node, actual, dependent, adjointDependent, rulebook);
    differentials.set(node, differential);
    const local = options.record
      ? localDifferential(node, (c) => (dependent(c) ? placeholderOf(c) : T.zero(c.shape)), dependent, adjointDependent, rulebook).differential
      : undefined;
    steps.push({ node, rule, ...(local ? { local } : {}) });
  }
  return { differential: differentials.get(root) ?? T.zero(root.shape), steps, placeholders };
}

/** d(node) given its children's differentials. */
function localDifferential(
  node: Term,
  d: (child: Term) => Term,
  dependent: (t: Term) => boolean,
  adjointDependent: (t: Term) => boolean,
  rulebook: Rulebook,
): { rule: string; differential: Term } {
  if (node.kind === 'add') {
    const terms = node.terms.filter(dependent).map(d).filter((t) => !isZero(t));
    return { rule: 'linear' satisfies ForwardCodeRule, differential: terms.length === 0 ? T.zero(node.shape) : T.add(terms) };
  }
  if (node.kind === 'mul' || node.kind === 'hmul') {
    const rule: ForwardCodeRule = node.kind === 'mul' ? 'product' : 'hadamard-product';
    return { rule, differential: productRule(node.kind, node.factors, d, dependent, node.shape) };
  }
  if (node.kind === 'op' && node.op === 'vstack') {
    // d[a₁; …; a_k] = [da₁; …; da_k]: pull.vstack read forward, entry by entry (its transpose
    // through eᵢᵀG would give the sum Σᵢ eᵢ daᵢ, which is the same stack written longer).
    const parts = node.args.map((a) => (dependent(a) ? d(a) : T.zero(a.shape)));
    return { rule: forwardRuleId('pull.vstack'), differential: parts.every(isZero) ? T.zero(node.shape) : T.op('vstack', parts) };
  }
  const operands = childrenOf(node);
  const bound = node.kind === 'mpow' ? [node.operand, T.num(node.exponent)] : operands;
  const g = adjointVariable(node.shape);
  const rule = pullbackRuleFor(node.kind, headName(node), bound, g, rulebook);
  const contributions = ruleContributions(rule, bound, g, dependent);
  const terms: Term[] = [];
  for (const [index, coefficient] of [...contributions].sort((a, b) => a[0] - b[0])) {
    const direction = d(bound[index]!);
    if (isZero(direction)) continue;
    terms.push(withoutAdjoint(transposeLinear(coefficient, g, direction, rulebook, adjointDependent), g, node));
  }
  const nonzero = terms.filter((t) => !isZero(t));
  return {
    rule: forwardRuleId(rule.id),
    differential: nonzero.length === 0 ? T.zero(node.shape) : T.add(nonzero),
  };
}

/**
 * ∇_G ⟨C(G), D⟩ for C linear in G: the term T with ⟨G, T⟩ = ⟨C(G), D⟩ for every G, i.e. the
 * adjoint of the pullback applied to the direction D.
 */
function transposeLinear(coefficient: Term, g: Term, direction: Term, rulebook: Rulebook, dependent: (t: Term) => boolean): Term {
  if (g.kind !== 'var') throw new Error('transposeLinear: the adjoint must be a variable');
  const sweep = reverseSweep(T.inner(coefficient, direction), [g.name], new Map([[g.name, g.shape]]), rulebook, { dependent });
  return sweep.gradients.get(g.name)!;
}

/**
 * The adjoint G left in a shape-only argument (OpDeclaration.shapeOnly): d unvec(g, X)[dg] transposes
 * ⟨vec(G), dg⟩ to unvec(dg, G), whose G gives only the shape. The node, of G's shape, stands in for
 * it (simp.unvec-witness then takes the node's own witness), so no placeholder is left behind.
 */
function withoutAdjoint(t: Term, g: Term, node: Term): Term {
  if (g.kind !== 'var' || !T.dependsOn(t, g.name)) return t;
  const rebuilt = new Map<Term, Term>([[g, node]]);
  for (const x of postOrder([t])) {
    if (!rebuilt.has(x)) rebuilt.set(x, T.withChildren(x, childrenOf(x).map((c) => rebuilt.get(c) ?? c)));
  }
  return rebuilt.get(t)!;
}

/**
 * d(F₁F₂⋯Fₙ) = Σᵢ F₁⋯Fᵢ₋₁ · dFᵢ · Fᵢ₊₁⋯Fₙ over the factors that depend on a direction. Prefixes and
 * suffixes are shared nodes, so n dependent factors cost O(n) new nodes, not O(n²).
 */
function productRule(
  kind: 'mul' | 'hmul',
  factors: readonly Term[],
  d: (child: Term) => Term,
  dependent: (t: Term) => boolean,
  shape: Shape,
): Term {
  const build = kind === 'mul' ? T.mul : T.hmul;
  const n = factors.length;
  const prefix: (Term | undefined)[] = [undefined];
  for (let i = 1; i < n; i++) prefix.push(prefix[i - 1] ? build([prefix[i - 1]!, factors[i - 1]!]) : factors[i - 1]!);
  const suffix: (Term | undefined)[] = new Array(n + 1).fill(undefined);
  for (let i = n - 1; i >= 1; i--) suffix[i] = suffix[i + 1] ? build([factors[i]!, suffix[i + 1]!]) : factors[i]!;
  const terms: Term[] = [];
  for (let i = 0; i < n; i++) {
    const f = factors[i]!;
    if (!dependent(f)) continue;
    const df = d(f);
    if (isZero(df)) continue;
    const parts = [prefix[i], df, suffix[i + 1]].filter((p): p is Term => p !== undefined);
    terms.push(build(parts));
  }
  return terms.length === 0 ? T.zero(shape) : T.add(terms);
}
