import type { Rulebook } from './load-rules.js';
import type { Rule } from './rule.js';

/**
 * What `matcalc rules` lists: every rule of the rulebook — each one runs (the reverse sweep looks up
 * every pullback rule by head, the simplifier every simplification identity), and nothing runs that
 * is not here (test/rules/rules-run.test.ts) — grouped by family and by how it is applied.
 */
export interface RuleGroup {
  readonly family: Rule['family'];
  /** `file`: applied from rules/*.rules by the rewrite matcher; `code`: applied by code that cites the id. */
  readonly appliedBy: 'file' | 'code';
  readonly title: string;
  readonly rules: readonly Rule[];
}

const GROUPS: readonly Omit<RuleGroup, 'rules'>[] = [
  { family: 'pullback', appliedBy: 'file', title: 'from rules/pullback.rules' },
  { family: 'pullback', appliedBy: 'code', title: 'native (implemented in code, src/rewrite/native-rules.ts)' },
  { family: 'simplify', appliedBy: 'file', title: 'local, applied from rules/simplify.rules at each node' },
  { family: 'simplify', appliedBy: 'code', title: "applied by the simplifier's code (src/simplify/), which cites each id" },
];

export function appliedBy(rule: Rule): 'file' | 'code' {
  return rule.family === 'pullback' ? (rule.native ? 'code' : 'file') : rule.applied;
}

/** The rules in listing order: by family (pullback first), then from the file before by code; the groups that have rules. */
export function listRules(book: Rulebook, family?: Rule['family']): RuleGroup[] {
  return GROUPS.filter((g) => family === undefined || g.family === family)
    .map((g) => ({ ...g, rules: book.rules.filter((r) => r.family === g.family && appliedBy(r) === g.appliedBy) }))
    .filter((g) => g.rules.length > 0);
}

/**
 * The forward sweep (diff, jac, hess) runs the same pullback rules read backwards — its derivations
 * name such a step fwd.<name> for pull.<name> — and three rules of its own, in code: these.
 */
export const FORWARD_CODE_RULES = {
  linear: 'd(A + B) = dA + dB',
  product: 'd(AB) = dA B + A dB (each factor in turn)',
  'hadamard-product': 'd(A ⊙ B) = dA ⊙ B + A ⊙ dB (each factor in turn)',
} as const;

export type ForwardCodeRule = keyof typeof FORWARD_CODE_RULES;

/** The label of a pullback rule applied forwards (pull.exp → fwd.exp). */
export function forwardRuleId(pullbackId: string): string {
  return pullbackId.replace(/^pull\./, 'fwd.');
}

/** Whether a forward derivation's label names a rule that runs: a pullback rule read backwards, or one of the code rules. */
export function isForwardRule(label: string, book: Rulebook): boolean {
  if (label in FORWARD_CODE_RULES) return true;
  return label.startsWith('fwd.') && book.rules.some((r) => r.family === 'pullback' && forwardRuleId(r.id) === label);
}
