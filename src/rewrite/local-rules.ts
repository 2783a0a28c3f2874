import type { Shape, Term, TermKind } from '../term/term.js';
import { guardsHold, instantiate } from './instantiate.js';
import { matchOperands } from './pattern.js';
import type { SimplifyRule } from './rule.js';

/**
 * The simplification rules applied from the file (`local` in rules/simplify.rules), indexed by the
 * head of their left side, as the pullback rules are: the simplifier, about to build a node, looks up
 * the rules of its head in O(1), binds the node's operands against each pattern in file order, and
 * takes the first whose guards hold (guardsHold, as for a pullback rule). The right side is built
 * by instantiate(), the same shape-checked templating the reverse sweep uses.
 */
export interface LocalRuleIndex {
  /** The rules for a head (for `fn`, the function's name), in file order; undefined when none. */
  rulesFor(kind: TermKind, fn?: string): readonly SimplifyRule[] | undefined;
}

export function indexLocalRules(rules: readonly SimplifyRule[]): LocalRuleIndex {
  const byKind = new Map<TermKind, SimplifyRule[]>();
  const byFn = new Map<string, SimplifyRule[]>();
  for (const rule of rules) {
    const pattern = rule.pattern;
    if (rule.applied !== 'file' || pattern?.type !== 'node') continue;
    const { kind, fn } = pattern.head;
    const table = kind === 'fn' ? byFn : byKind;
    const key = kind === 'fn' ? fn! : kind;
    const list = (table as Map<string, SimplifyRule[]>).get(key);
    if (list) list.push(rule);
    else (table as Map<string, SimplifyRule[]>).set(key, [rule]);
  }
  return {
    rulesFor: (kind, fn) => (kind === 'fn' ? byFn.get(fn!) : byKind.get(kind)),
  };
}

/** A local rule whose pattern matched a node's operands and whose guards hold. */
export interface LocalMatch {
  readonly rule: SimplifyRule;
  readonly bindings: ReadonlyMap<string, Term>;
}

/**
 * The first rule whose pattern matches the operands (and, for a matrix power, the exponent) and
 * whose guards hold. One scratch map serves every attempt (this runs at every node the simplifier
 * builds); a match gets its own copy.
 */
export function findLocalRule(rules: readonly SimplifyRule[], operands: readonly Term[], exponent?: number): LocalMatch | undefined {
  for (const rule of rules) {
    const pattern = rule.pattern;
    if (pattern?.type !== 'node' || pattern.head.exponent !== exponent) continue;
    scratch.clear();
    if (!matchOperands(pattern.operands, operands, scratch)) continue;
    if (!guardsHold(rule.guards, scratch)) continue;
    return { rule, bindings: new Map(scratch) };
  }
  return undefined;
}

const scratch = new Map<string, Term>();

/**
 * The right side of a matched rule, with its variables bound, built as the shape stage builds user
 * input (instantiate): a term of the matched node's `shape`, not yet simplified beyond its bound parts.
 */
export function instantiateLocal(match: LocalMatch, shape: Shape): Term {
  const rhs = match.rule.rhs;
  // A right side that is one of the variables (the involutions): its binding, without templating.
  if (rhs.kind === 'pattern') return match.bindings.get(rhs.name)!;
  return instantiate(rhs, match.rule.source, match.bindings, shape);
}
