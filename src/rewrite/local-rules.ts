import { callTerm, elementwiseTerm } from '../shape/written-terms.js';
import { chainOperands, type Ast } from '../syntax/ast.js';
import * as T from '../term/factory.js';
import { isScalarShape, type Shape, type Term, type TermKind } from '../term/term.js';
import { instantiate } from './instantiate.js';
import type { TermPattern } from './pattern.js';
import { PREDICATES } from './predicates.js';
import type { SimplifyRule } from './rule.js';

/**
 * The simplification rules applied from the file (`local` in rules/simplify.rules), indexed by the
 * head of their left side, as the pullback rules are: the simplifier, about to build a node, looks up
 * the rules of its head in O(1), binds the node's operands against each pattern in file order, and
 * takes the first whose guards hold (the named predicates of predicates.ts, as for a pullback rule).
 * The right side is built by instantiate(), the same shape-checked templating the reverse sweep uses.
 *
 * This runs at every node the simplifier builds, and almost always finds nothing: so each rule is
 * compiled once, when the rulebook is built, to a matcher that binds pattern variables into slots
 * of one scratch array, with the kind each operand must have checked first and each guard's
 * predicate looked up already. A Map of bindings is made only for a match.
 */
export interface LocalRuleIndex {
  /** The rules for a head (for `fn`, the function's name), in file order; undefined when none. */
  rulesFor(kind: TermKind, fn?: string): readonly LocalRule[] | undefined;
}

/** A local rule compiled for matching. */
export interface LocalRule {
  readonly rule: SimplifyRule;
  /** The operands' patterns, pattern variables numbered by slot. */
  readonly operands: readonly SlotPattern[];
  /** The names of the slots (for the bindings of a match). */
  readonly names: readonly string[];
  readonly guards: readonly { readonly slot: number; readonly test: (t: Term) => boolean }[];
}

type SlotPattern =
  | { readonly type: 'slot'; readonly slot: number }
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'constant'; readonly kind: 'eye' | 'ones' }
  | { readonly type: 'node'; readonly kind: TermKind; readonly fn?: string; readonly exponent?: number; readonly operands: readonly SlotPattern[] };

export function indexLocalRules(rules: readonly SimplifyRule[]): LocalRuleIndex {
  const byKind = new Map<TermKind, LocalRule[]>();
  const byFn = new Map<string, LocalRule[]>();
  for (const rule of rules) {
    const pattern = rule.pattern;
    if (rule.applied !== 'file' || pattern?.type !== 'node') continue;
    const { kind, fn } = pattern.head;
    const compiled = compileRule(rule, pattern.operands);
    // Element-wise functions and ops are keyed by kind and name together (`fn:exp`, `op:softmax`).
    if (fn !== undefined) byFn.set(`${kind}:${fn}`, [...(byFn.get(`${kind}:${fn}`) ?? []), compiled]);
    else byKind.set(kind, [...(byKind.get(kind) ?? []), compiled]);
  }
  // Plain objects keyed by kind and by function name: the lookup is made at every node.
  const kinds: Partial<Record<TermKind, readonly LocalRule[]>> = Object.fromEntries(byKind);
  // Element-wise functions and ops apart, by name alone: no `kind:name` string is made per lookup.
  const named = (kind: 'fn' | 'op') => new Map([...byFn].filter(([key]) => key.startsWith(`${kind}:`)).map(([key, list]) => [key.slice(kind.length + 1), list]));
  const fns = named('fn');
  const ops = named('op');
  return { rulesFor: (kind, fn) => (fn !== undefined && kind === 'fn' ? fns.get(fn) : fn !== undefined && kind === 'op' ? ops.get(fn) : kinds[kind]) };
}

function compileRule(rule: SimplifyRule, operands: readonly TermPattern[]): LocalRule {
  const names: string[] = [];
  const slotOf = (name: string): number => {
    const at = names.indexOf(name);
    if (at >= 0) return at;
    names.push(name);
    return names.length - 1;
  };
  const compile = (p: TermPattern): SlotPattern => {
    switch (p.type) {
      case 'variable':
        return { type: 'slot', slot: slotOf(p.name) };
      case 'number':
      case 'constant':
        return p;
      case 'node':
        return { type: 'node', kind: p.head.kind, fn: p.head.fn, exponent: p.head.exponent, operands: p.operands.map(compile) };
    }
  };
  const compiled = operands.map(compile);
  const guards = rule.guards.map((g) => ({ slot: slotOf(g.variable), test: PREDICATES.get(g.predicate)! }));
  return { rule, operands: compiled, names, guards };
}

/** A local rule whose pattern matched a node's operands and whose guards hold. */
export interface LocalMatch {
  readonly rule: SimplifyRule;
  readonly bindings: ReadonlyMap<string, Term>;
}

/** The slots of the match being tried (an attempt clears the ones its rule uses). */
const slots: (Term | undefined)[] = [];

/** The first rule whose pattern matches the node's operands (`b` for a binary node) and whose guards hold. */
export function findLocalRule(rules: readonly LocalRule[], a: Term, b?: Term): LocalMatch | undefined {
  for (const local of rules) {
    const patterns = local.operands;
    if (patterns.length !== (b === undefined ? 1 : 2) || !kindMatches(patterns[0]!, a)) continue;
    for (let i = 0; i < local.names.length; i++) slots[i] = undefined;
    if (!match(patterns[0]!, a)) continue;
    if (b !== undefined && !match(patterns[1]!, b)) continue;
    let holds = true;
    for (const guard of local.guards) {
      if (!guard.test(slots[guard.slot]!)) {
        holds = false;
        break;
      }
    }
    if (!holds) continue;
    return { rule: local.rule, bindings: new Map(local.names.map((name, i) => [name, slots[i]!])) };
  }
  return undefined;
}

/** The first check, before any slot is touched: the operand's kind (most attempts end here). */
function kindMatches(p: SlotPattern, t: Term): boolean {
  switch (p.type) {
    case 'slot':
      return true;
    case 'number':
      return t.kind === 'num';
    case 'constant':
    case 'node':
      return t.kind === p.kind;
  }
}

function match(p: SlotPattern, t: Term): boolean {
  switch (p.type) {
    case 'slot': {
      const bound = slots[p.slot];
      if (bound !== undefined) return bound === t;
      slots[p.slot] = t;
      return true;
    }
    case 'number':
      return t.kind === 'num' && t.value === p.value;
    case 'constant':
      return t.kind === p.kind;
    case 'node':
      return t.kind === p.kind && matchNode(p, t);
  }
}

function matchNode(p: Extract<SlotPattern, { type: 'node' }>, t: Term): boolean {
  switch (t.kind) {
    case 'fn':
      return t.fn === p.fn && match(p.operands[0]!, t.operand);
    case 'mpow':
      return t.exponent === p.exponent && match(p.operands[0]!, t.operand);
    case 'transpose':
    case 'inv':
    case 'trace':
    case 'det':
    case 'logdet':
    case 'sum':
    case 'norm1':
    case 'norm2':
    case 'diag':
    case 'diagm':
      return match(p.operands[0]!, t.operand);
    case 'hdiv':
    case 'inner':
      return match(p.operands[0]!, t.left) && match(p.operands[1]!, t.right);
    case 'epow':
      return match(p.operands[0]!, t.base) && match(p.operands[1]!, t.exponent);
    case 'op':
      return t.op === p.fn && matchList(p.operands, t.args);
    case 'add':
      return matchList(p.operands, t.terms);
    case 'mul':
    case 'hmul':
      return matchList(p.operands, t.factors);
    case 'var':
    case 'num':
    case 'zero':
    case 'ones':
    case 'eye':
      return p.operands.length === 0;
  }
}

function matchList(patterns: readonly SlotPattern[], terms: readonly Term[]): boolean {
  if (patterns.length !== terms.length) return false;
  for (let i = 0; i < patterns.length; i++) if (!match(patterns[i]!, terms[i]!)) return false;
  return true;
}

/**
 * The right side of a matched rule, with its variables bound, built as the shape stage builds user
 * input (instantiate): a term of the matched node's `shape`, not yet simplified beyond its bound parts.
 * The forms local right sides use are built directly, with the constructors the shape stage would
 * call (a matrix power of a rule that fires at every inverse of a transpose must not run shape
 * inference each time); test/unit/rewrite/local-rules.test.ts checks that both builds agree.
 */
export function instantiateLocal(match: LocalMatch, shape: Shape): Term {
  const rhs = match.rule.rhs;
  // A right side that is one of the variables (the involutions): its binding, without templating.
  if (rhs.kind === 'pattern') return match.bindings.get(rhs.name)!;
  return buildDirect(rhs, match.bindings, shape, true) ?? instantiate(rhs, match.rule.source, match.bindings, shape);
}

/** instantiate()'s term for the forms local right sides use; undefined for any other form. */
export function buildDirect(ast: Ast, bindings: ReadonlyMap<string, Term>, shape: Shape, root = false): Term | undefined {
  switch (ast.kind) {
    case 'pattern':
      return bindings.get(ast.name);
    case 'number':
      return T.num(ast.value);
    case 'negate': {
      const t = buildDirect(ast.operand, bindings, shape);
      if (t === undefined) return undefined;
      return t.kind === 'num' ? T.num(-t.value) : T.mul([T.num(-1), t]);
    }
    case 'eye':
      return root ? T.eye(shape[0]) : undefined;
    case 'transpose': {
      const t = buildDirect(ast.operand, bindings, shape);
      return t && T.transpose(t);
    }
    case 'call':
      return callDirect(ast, bindings, shape, root);
    case 'op': {
      const args = ast.args.map((a) => buildDirect(a, bindings, shape));
      return args.every((a) => a !== undefined) ? T.op(ast.op, args as Term[]) : undefined;
    }
    case 'binary': {
      if (ast.op === '+' || ast.op === '-') {
        // A sum of two terms that is not a longer sum (the shape stage flattens those).
        if ([ast.left, ast.right].some((n) => n.kind === 'binary' && (n.op === '+' || n.op === '-'))) return undefined;
        const [a, b] = [buildDirect(ast.left, bindings, shape), buildDirect(ast.right, bindings, shape)];
        // Only of one shape: a scalar beside a matrix is broadcast by the shape stage (1 + X is 𝟙𝟙ᵀ + X).
        if (a === undefined || b === undefined || a.shape[0] !== b.shape[0] || a.shape[1] !== b.shape[1]) return undefined;
        // a − b as the shape stage reads it (build-terms.ts negate): a + (−b), a number's sign folded.
        const right = ast.op === '+' ? b : b.kind === 'num' ? T.num(-b.value) : T.mul([T.num(-1), b]);
        return T.add([a, right]);
      }
      if (ast.op === '*') return productDirect(ast, bindings, shape, root);
      if (ast.op === '/') return quotientDirect(ast, bindings, shape);
      if (ast.op !== '.^' && ast.op !== '.*' && ast.op !== './') return undefined;
      const a = buildDirect(ast.left, bindings, shape);
      const b = buildDirect(ast.right, bindings, shape);
      if (a === undefined || b === undefined) return undefined;
      // A matrix exponent is exp(B ⊙ log A) to the shape stage (build-terms.ts, variablePower).
      if (ast.op === '.^') return isScalarShape(b.shape) ? T.epow(a, b) : undefined;
      // Element-wise: the shape of a node is its operands' unless one is a scalar, and then the
      // shape stage's reading needs the node's shape, which only the root knows here.
      return root || (!isScalarShape(a.shape) && !isScalarShape(b.shape)) ? elementwiseTerm(ast.op, a, b, shape) : undefined;
    }
    case 'inner': {
      const [a, b] = [buildDirect(ast.left, bindings, shape), buildDirect(ast.right, bindings, shape)];
      return a === undefined || b === undefined ? undefined : T.inner(a, b);
    }
    case 'name':
      return undefined;
  }
}

/**
 * A product as the shape stage builds it (build-terms.ts buildChildren): a chain written left to
 * right is one n-ary product of its factors. Where the shape stage would keep a scalar-valued
 * left part of a matrix chain as one factor ((xᵀSx)x), undefined. At the root, a scalar times `eye`
 * or `matrix(c)` (the pullbacks of tr and sum: ?g * eye) gives the identity or the constant the
 * target's shape, as the shape stage infers it.
 */
function productDirect(ast: Extract<Ast, { kind: 'binary' }>, bindings: ReadonlyMap<string, Term>, shape: Shape, root: boolean): Term | undefined {
  const operands = chainOperands(ast, '*');
  const fills = root && operands.length === 2 && fillsTarget(operands[1]!) && (operands[1]!.kind !== 'eye' || shape[0] === shape[1]);
  const factors: Term[] = [];
  for (let i = 0; i < operands.length; i++) {
    const f = buildDirect(operands[i]!, bindings, shape, fills && i === 1);
    if (f === undefined) return undefined;
    factors.push(f);
  }
  if (fills && !isScalarShape(factors[0]!.shape)) return undefined;
  const whole = chainShape(factors, factors.length);
  if (whole === undefined) return undefined;
  if (!isScalarShape(whole)) {
    for (let k = 2; k < factors.length; k++) {
      const part = chainShape(factors, k);
      if (part === undefined || isScalarShape(part)) return undefined;
    }
  }
  return T.mul(factors);
}

/** `eye`, or `matrix(c)`/`vector(c)` of a number: a factor whose shape only the target gives. */
function fillsTarget(ast: Ast): boolean {
  return ast.kind === 'eye' || (ast.kind === 'call' && (ast.fn === 'matrix' || ast.fn === 'vector') && ast.arg.kind === 'number');
}

/** The shape of the product of the first `n` factors, or undefined when they do not chain. */
function chainShape(factors: readonly Term[], n: number): Shape | undefined {
  let first: Shape | undefined;
  let last: Shape | undefined;
  for (let i = 0; i < n; i++) {
    const s = factors[i]!.shape;
    if (isScalarShape(s)) continue;
    if (last !== undefined && last[1] !== s[0]) return undefined;
    first ??= s;
    last = s;
  }
  return first === undefined || last === undefined ? [1, 1] : [first[0], last[1]];
}

/**
 * a / b for a scalar b, as the shape stage builds it: a times b's reciprocal. Not exp(x)/sum(exp(x)),
 * which the shape stage reads as softmax(x): that numerator is left to it.
 */
function quotientDirect(ast: Extract<Ast, { kind: 'binary' }>, bindings: ReadonlyMap<string, Term>, shape: Shape): Term | undefined {
  const a = buildDirect(ast.left, bindings, shape);
  const b = buildDirect(ast.right, bindings, shape);
  if (a === undefined || b === undefined || !isScalarShape(b.shape) || (a.kind === 'fn' && a.fn === 'exp')) return undefined;
  return T.mul([a, b.kind === 'num' && b.value !== 0 ? T.num(1 / b.value) : T.epow(b, T.num(-1))]);
}

function callDirect(ast: Extract<Ast, { kind: 'call' }>, bindings: ReadonlyMap<string, Term>, shape: Shape, root: boolean): Term | undefined {
  if (ast.fn === 'matrix' || ast.fn === 'vector') {
    if (!root || ast.arg.kind !== 'number') return undefined;
    return T.mul([T.num(ast.arg.value), T.ones(shape)]);
  }
  if (ast.fn === 'd') return undefined;
  const arg = buildDirect(ast.arg, bindings, shape);
  // The same reading of each function as the shape stage's (shape/build-terms.ts callTerm).
  return arg === undefined ? undefined : callTerm(ast.fn, arg);
}
