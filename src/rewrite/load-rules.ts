import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { diag } from '../diagnostics/diagnostic.js';
import { indexLocalRules, type LocalRuleIndex } from './local-rules.js';
import { NATIVE_RULES } from './native-rules.js';
import { parseRuleFile } from './parse-rules.js';
import { readRuleSources, RULE_FILES, rulesDirectory } from './rule-files.js';
import { readRulesSnapshot } from './rules-snapshot.js';
import type { PullbackHead, PullbackRule, Rule, SimplifyRule } from './rule.js';

export { guardShapes, parseRuleFile } from './parse-rules.js';
export { rulesDirectory } from './rule-files.js';
export { rulesSnapshotPath, writeRulesSnapshot } from './rules-snapshot.js';

/**
 * The loaded, checked rulebook: pullback rules indexed by head for O(1) lookup in the sweep, and the
 * local simplification rules indexed by head for the simplifier (local-rules.ts). Reading the files
 * is parse-rules.ts; the build-time snapshot that start-up reads instead is rules-snapshot.ts.
 */
export interface Rulebook {
  readonly rules: readonly Rule[];
  readonly pullbacks: ReadonlyMap<string, readonly PullbackRule[]>;
  readonly simplify: readonly SimplifyRule[];
  /** The simplification rules applied from the file, by the head they match. */
  readonly local: LocalRuleIndex;
}

export function headKey(head: PullbackHead): string {
  return head.fn ? `${head.kind}:${head.fn}` : head.kind;
}

/**
 * Loads rules/ once per process (the files ship with the package). The rulebook holds patterns and
 * templates, never terms, so it outlives resetTerms(): a reset must stay cheap (`batch` resets before
 * every request, and a fresh call is the common case).
 */
let cached: Result<Rulebook> | undefined;

export function loadRulebook(directory: string = rulesDirectory()): Result<Rulebook> {
  const standard = directory === rulesDirectory();
  if (cached && standard) return cached;
  const sources = readRuleSources(directory);
  const fromSnapshot = standard ? readRulesSnapshot(sources) : undefined;
  const problems: Diagnostic[] = [];
  const rules: Rule[] = [];
  if (fromSnapshot) {
    rules.push(...fromSnapshot);
  } else {
    RULE_FILES.forEach(([, family], i) => {
      const parsed = parseRuleFile(sources[i]!, family);
      if (parsed.ok) rules.push(...parsed.value);
      else problems.push(...parsed.diagnostics);
    });
  }
  rules.push(...NATIVE_RULES);
  const result = buildRulebook(rules, problems);
  if (standard) cached = result;
  return result;
}

export function buildRulebook(rules: readonly Rule[], problems: Diagnostic[] = []): Result<Rulebook> {
  const seen = new Map<string, Rule>();
  for (const rule of rules) {
    if (seen.has(rule.id)) problems.push(diag('rules/duplicate-id', { source: rule.source, span: rule.origin }, rule.id));
    seen.set(rule.id, rule);
  }
  if (problems.length > 0) return { ok: false, diagnostics: problems };
  const pullbacks = new Map<string, PullbackRule[]>();
  for (const rule of rules) {
    if (rule.family !== 'pullback') continue;
    const key = headKey(rule.head);
    pullbacks.set(key, [...(pullbacks.get(key) ?? []), rule]);
  }
  const simplify = rules.filter((r): r is SimplifyRule => r.family === 'simplify');
  return { ok: true, value: { rules, pullbacks, simplify, local: indexLocalRules(simplify) } };
}
