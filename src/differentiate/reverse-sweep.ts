import { diag, DiagnosticError } from '../diagnostics/diagnostic.js';
import { headKey, type Rulebook } from '../rewrite/load-rules.js';
import { guardsHold, instantiate } from '../rewrite/instantiate.js';
import { buildDirect } from '../rewrite/local-rules.js';
import { isNative } from '../rewrite/native-rules.js';
import type { PullbackRule, RuleId } from '../rewrite/rule.js';
import * as T from '../term/factory.js';
import { sameShape } from '../term/factory.js';
import { childrenOf, isOpName, opDeclaration, type Shape, type Term, type TermOf } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import { Received } from './received.js';

/**
 * The reverse sweep (ENGINE.md §3): the trace trick as reverse-mode differentiation.
 *
 * df = ⟨1, df⟩. Visiting the DAG's nodes from the root down (reverse topological order), each node
 * first gathers every contribution it received into one adjoint G — the coefficient of its dY —
 * and only then applies its pullback rule, ⟨G, dY⟩ = Σ ⟨Cᵢ, dXᵢ⟩, passing Cᵢ to its operands.
 * Gathering before expanding is what makes the sweep linear: each node is visited once and each
 * edge contributes once, however many paths reach it. All requested variables come out of one sweep.
 */

export interface TapeEntry {
  /** The node whose adjoint was gathered. */
  readonly node: Term;
  /** The gathered adjoint G (the coefficient of d(node)). */
  readonly adjoint: Term;
  /** How many contributions were gathered into it (> 1 where paths meet). */
  readonly gathered: number;
  /** The rules applied (an n-ary node applies its binary rule once per operand). */
  readonly rules: readonly RuleId[];
  /** What it passed to its operands. */
  readonly contributions: readonly { readonly child: Term; readonly coefficient: Term }[];
}

export interface SweepResult {
  /** The gradient of each requested variable (zero when the function does not depend on it). */
  readonly gradients: ReadonlyMap<string, Term>;
  readonly tape: readonly TapeEntry[];
}

export interface SweepOptions {
  /** Stop with a diagnostic when the sweep builds more than this many contributions. */
  readonly maxSteps?: number;
  /**
   * A dependency test for `wrt` to reuse (T.dependencyTest memoises what it has walked): the forward
   * sweep runs many small sweeps for the same adjoint variable, which must not re-walk shared subterms.
   */
  readonly dependent?: (t: Term) => boolean;
  /** Whether to record the tape (default true); without it `tape` is empty, and a big sweep keeps less alive. */
  readonly tape?: boolean;
}

export function reverseSweep(
  root: Term,
  wrt: readonly string[],
  variables: ReadonlyMap<string, Shape>,
  rulebook: Rulebook,
  options: SweepOptions = {},
): SweepResult {
  const dependent = options.dependent ?? T.dependencyTest(wrt);
  dependent(root); // one walk over the whole DAG, before the walk below asks node by node

  const order = postOrder([root], dependent);
  const pending = new Received();
  if (dependent(root)) pending.add(root, T.num(1));
  // Only the variables' adjoints are read afterwards (the tape, when recorded, keeps the others).
  const adjoints = new Map<Term, Term>();
  const tape: TapeEntry[] = [];
  const recording = options.tape ?? true;
  const maxSteps = options.maxSteps ?? Number.POSITIVE_INFINITY;
  let steps = 0;
  // One emitter for the whole sweep (not a closure per node); the rules and contributions of the
  // node being visited are kept only when the tape is recorded.
  let contributions: { child: Term; coefficient: Term }[] | undefined;
  let emitted = 0;
  const scratchRules: RuleId[] = [];
  const emit = (child: Term, coefficient: Term): void => {
    if (isZero(coefficient)) return;
    emitted++;
    contributions?.push({ child, coefficient });
    pending.add(child, coefficient);
  };

  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    const received = pending.take(node);
    if (received === undefined) continue;
    const many = Array.isArray(received);
    if (many && received.length === 0) continue;
    const adjoint = many ? gather(received, node.shape) : (received as Term);
    const gathered = many ? received.length : 1;
    if (node.kind === 'var') {
      adjoints.set(node, adjoint);
      if (recording) tape.push({ node, adjoint, gathered, rules: [], contributions: [] });
      continue;
    }
    const rules: RuleId[] = recording ? [] : scratchRules;
    rules.length = 0;
    contributions = recording ? [] : undefined;
    emitted = 0;
    if (!isZero(adjoint)) pullback(node, adjoint, rulebook, dependent, rules, emit);
    steps += emitted;
    if (steps > maxSteps) throw new DiagnosticError(diag('diff/limit', {}, 'the reverse sweep', maxSteps));
    if (recording) tape.push({ node, adjoint, gathered, rules, contributions: contributions! });
  }

  const gradients = new Map<string, Term>();
  for (const name of wrt) {
    const shape = variables.get(name);
    if (!shape) continue;
    const v = T.variable(name, shape);
    gradients.set(name, adjoints.get(v) ?? T.zero(shape));
  }
  return { gradients, tape };
}

function isZero(t: Term): boolean {
  return t.kind === 'zero' || (t.kind === 'num' && t.value === 0);
}

/**
 * Applies a node's pullback rule. Sums, products and Hadamard products are n-ary; they are swept as
 * the left-nested chain ((f₁ f₂) f₃) … of their binary rule, whose prefixes are shared nodes, so a
 * k-factor product costs O(k) new nodes (rebuilding "all factors but one" would be quadratic).
 */
function pullback(
  node: Term,
  adjoint: Term,
  rulebook: Rulebook,
  dependent: (t: Term) => boolean,
  rules: RuleId[],
  emit: (child: Term, coefficient: Term) => void,
): void {
  if (node.kind === 'add' || node.kind === 'mul' || node.kind === 'hmul') {
    const operands = childrenOf(node);
    const prefixes: Term[] = [operands[0]!];
    for (let i = 1; i < operands.length - 1; i++) prefixes.push(binary(node.kind, prefixes[i - 1]!, operands[i]!));
    let g = adjoint;
    for (let i = operands.length - 1; i >= 1; i--) {
      const left = prefixes[i - 1]!;
      const right = operands[i]!;
      const out = applyRule(node.kind, undefined, [left, right], g, rulebook, dependent, rules);
      const toRight = out.get(1);
      if (toRight) emit(right, toRight);
      const toLeft = out.get(0);
      if (!toLeft) return;
      g = toLeft;
    }
    emit(operands[0]!, g);
    return;
  }
  const operands = childrenOf(node);
  const bound = node.kind === 'mpow' ? [node.operand, T.num(node.exponent)] : operands;
  const out = applyRule(node.kind, headName(node), bound, adjoint, rulebook, dependent, rules);
  for (const [index, coefficient] of out) emit(bound[index]!, coefficient);
}

/** The name that picks a node's rules besides its kind: an element-wise function's, an op's (rule heads fn:exp, op:softmax). */
export function headName(node: Term): string | undefined {
  return node.kind === 'fn' ? node.fn : node.kind === 'op' ? node.op : undefined;
}

function binary(kind: 'add' | 'mul' | 'hmul', a: Term, b: Term): Term {
  if (kind === 'add') return T.add([a, b]);
  if (kind === 'mul') return T.mul([a, b]);
  return T.hmul([a, b]);
}

/** The first pullback rule for a node's head whose guards hold (shared with the forward sweep). */
export function pullbackRuleFor(
  kind: Term['kind'],
  fn: string | undefined,
  operands: readonly Term[],
  adjoint: Term,
  rulebook: Rulebook,
): PullbackRule {
  return ruleAndBindings(kind, fn, operands, adjoint, rulebook).rule;
}

/** pullbackRuleFor's rule, with the bindings its guards were checked on (the contributions use them too). */
function ruleAndBindings(
  kind: Term['kind'],
  fn: string | undefined,
  operands: readonly Term[],
  adjoint: Term,
  rulebook: Rulebook,
): { rule: PullbackRule; bindings: Map<string, Term> } {
  const candidates = rulebook.pullbacks.get(headKey({ kind, fn })) ?? [];
  for (const rule of candidates) {
    const bindings = bind(rule, operands, adjoint);
    if (guardsHold(rule.guards, bindings)) return { rule, bindings };
  }
  throw new DiagnosticError(diag('diff/no-rule', {}, fn ? `${kind} ${fn}` : kind));
}

/** Finds the first rule for the head whose guards hold and builds the contributions of dependent operands. */
function applyRule(
  kind: Term['kind'],
  fn: string | undefined,
  operands: readonly Term[],
  adjoint: Term,
  rulebook: Rulebook,
  dependent: (t: Term) => boolean,
  applied: RuleId[],
): Map<number, Term> {
  const { rule, bindings } = ruleAndBindings(kind, fn, operands, adjoint, rulebook);
  applied.push(rule.id);
  return ruleContributions(rule, operands, adjoint, dependent, bindings);
}

/**
 * What one pullback rule passes to each operand that depends on a variable: operand index →
 * coefficient. Exported for the generated soundness tests, which check every rule numerically.
 */
export function ruleContributions(
  rule: PullbackRule,
  operands: readonly Term[],
  adjoint: Term,
  dependent: (t: Term) => boolean = () => true,
  bindings: Map<string, Term> = bind(rule, operands, adjoint),
): Map<number, Term> {
  const out = new Map<number, Term>();
  if (isNative(rule) && rule.computeEach) {
    for (const [index, c] of rule.computeEach(adjoint, operands)) if (dependent(operands[index]!)) out.set(index, c);
    return out;
  }
  if (isNative(rule)) {
    const computed = rule.compute(bindings);
    rule.operands.forEach((name, index) => {
      const c = computed.get(name);
      if (c && dependent(operands[index]!)) out.set(index, c);
    });
    return out;
  }
  for (const contribution of rule.contributions) {
    const index = rule.operands.indexOf(contribution.operand);
    const operand = operands[index]!;
    if (!dependent(operand)) continue;
    const direct = buildDirect(contribution.coefficient, bindings, operand.shape, true);
    out.set(index, direct !== undefined && sameShape(direct.shape, operand.shape) ? direct : instantiate(contribution.coefficient, rule.source, bindings, operand.shape));
  }
  // A rule with contributions may leave an operand out (expm_frechet2's first: a third derivative of
  // expm); an operand it leaves out that depends on a variable is refused, never dropped as if its
  // contribution were 0. (A rule with none at all, sign or step, says the derivative is 0.)
  if (rule.contributions.length === 0) return out;
  for (let index = 0; index < operands.length; index++) {
    if (out.has(index) || !dependent(operands[index]!) || shapeOnlyOperands(rule).includes(index) || rule.contributions.some((c) => c.operand === rule.operands[index])) continue;
    throw new DiagnosticError(diag('diff/no-rule-operand', {}, functionOf(rule), ORDINAL_WORDS[index] ?? `#${index + 1}`));
  }
  return out;
}

/**
 * The operands of an op that give only its shape (unvec's X) or are integer parameters (the n of Xⁿ):
 * their derivative is 0, not missing (a --wrt variable in an integer parameter is refused earlier).
 */
function shapeOnlyOperands(rule: PullbackRule): readonly number[] {
  let known = shapeOnlyByRule.get(rule);
  if (known === undefined) {
    const name = functionOf(rule);
    const declaration = isOpName(name) ? opDeclaration(name) : undefined;
    known = declaration === undefined ? [] : [...(declaration.shapeOnly ?? []), ...(declaration.integer ?? [])];
    shapeOnlyByRule.set(rule, known);
  }
  return known;
}

/** shapeOnlyOperands by rule: a rule's declaration never changes, and every application asks. */
const shapeOnlyByRule = new WeakMap<PullbackRule, readonly number[]>();

/** The function a pullback rule is for, as the user writes it (`expm_frechet2` for pull.expm-frechet2). */
function functionOf(rule: PullbackRule): string {
  const lhs = rule.lhs;
  const node = lhs.kind === 'inner' && lhs.right.kind === 'call' ? lhs.right.arg : undefined;
  return node?.kind === 'op' ? node.op : node?.kind === 'call' ? node.fn : rule.id;
}

const ORDINAL_WORDS = ['first', 'second', 'third', 'fourth'];

function bind(rule: PullbackRule, operands: readonly Term[], adjoint: Term): Map<string, Term> {
  const bindings = new Map<string, Term>();
  bindings.set(rule.adjoint, adjoint);
  const names = rule.operands;
  for (let i = 0; i < names.length; i++) {
    const t = operands[i];
    if (t) bindings.set(names[i]!, t);
  }
  return bindings;
}

/**
 * Sums the contributions a node received, collecting equal terms (c₁T + c₂T = (c₁ + c₂)T) by
 * identity — hash-consing makes that a Map lookup. The full simplifier runs later, once.
 */
export function gather(list: readonly Term[], shape: Shape): Term {
  if (list.length === 1) return list[0]!;
  const coefficients = new Map<Term, number>();
  for (let i = 0; i < list.length; i++) {
    const t = list[i]!;
    // c·T: the number c apart from the rest T.
    const scaled = t.kind === 'mul' && t.factors[0]!.kind === 'num';
    const rest = scaled ? T.mul(t.factors.slice(1)) : t;
    const c = scaled ? (t.factors[0] as TermOf<'num'>).value : 1;
    coefficients.set(rest, (coefficients.get(rest) ?? 0) + c);
  }
  const terms: Term[] = [];
  for (const [rest, c] of coefficients) {
    if (c === 0) continue;
    terms.push(c === 1 ? rest : rest.kind === 'num' ? T.num(c * rest.value) : T.mul([T.num(c), rest]));
  }
  return terms.length === 0 ? T.zero(shape) : T.add(terms);
}
