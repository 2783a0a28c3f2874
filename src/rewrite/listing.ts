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
