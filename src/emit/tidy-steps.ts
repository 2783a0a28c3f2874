import * as T from '../term/factory.js';
import { childrenOf, type Term } from '../term/term.js';
import { dagSize, postOrder } from '../term/traverse.js';
import { present, simplifyWithSteps, type SimplifyContext, type SimplifyStep } from '../simplify/simplify.js';

/**
 * The tidying of a gathered sum as the notes write it (ENGINE.md §3): ⟨Aᵀx, dx⟩ + ⟨Ax, dx⟩ =
 * ⟨(A + Aᵀ)x, dx⟩, each line named by the identities of rules/simplify.rules that made it. The
 * simplifier records every rewrite it applies (simplifyWithSteps); this file chooses what a reader
 * sees of them: one line per visible change, not one per internal micro-rewrite.
 */
export const TIDY_POLICY = Object.freeze({
  /** Lines shown per tidying; the rest are counted in one note line. */
  maxLines: 6,
  /** Past this size a sum is gathered in one line: re-simplifying it step by step costs too much. */
  maxNodes: 400,
  /**
   * Rewrites that only reorder or regroup (commuting, associating, the number to the front): named on
   * a line only when nothing else changed it, as the notes name the identity that did the work.
   */
  arrangementOnly: new Set([
    'simp.add-commute',
    'simp.scalar-commute',
    'simp.hadamard-commute',
    'simp.inner-commute',
    'simp.add-flatten',
    'simp.mul-flatten',
    'simp.hadamard-flatten',
    'simp.scalar-front',
  ]),
});

/** One line of the tidying: the rule ids, and the whole coefficient after them (display form). */
export interface TidyLine {
  readonly rule: string;
  readonly coefficient: Term;
}

export interface Tidying {
  readonly lines: readonly TidyLine[];
  /** Visible rewrites past the cap, not shown. */
  readonly omitted: number;
}

/**
 * The lines from the sum of `contributions` (already tidied one by one, as the line before showed
 * them) to its normal form. `text` renders a coefficient as its line would show it: two rewrites
 * that print the same are one line. Empty when nothing visible happens or the sum is too large.
 */
export function tidySum(
  contributions: readonly Term[],
  context: SimplifyContext,
  text: (coefficient: Term) => string,
  policy: { readonly maxLines: number; readonly maxNodes: number } = TIDY_POLICY,
): Tidying {
  return tidyTerm(T.add(contributions), context, text, policy);
}

/**
 * The lines from `start` to its normal form, as tidySum's: a forward derivation's differential, with
 * the recorded steps substituted, tidied to the answer (forward-steps.ts).
 */
export function tidyTerm(
  start: Term,
  context: SimplifyContext,
  text: (term: Term) => string,
  policy: { readonly maxLines: number; readonly maxNodes: number } = TIDY_POLICY,
): Tidying {
  if (dagSize([start]) > policy.maxNodes) return { lines: [], omitted: 0 };
  const { steps } = simplifyWithSteps(start, context);
  const lines: TidyLine[] = [];
  let omitted = 0;
  let current = start;
  let shown = text(present([start], context)[0]!);
  for (const group of byNode(steps)) {
    const next = replaceNode(current, group.before, group.after);
    // A rewrite of a node the whole no longer contains (a branch the search left) changes nothing.
    if (next === current) continue;
    current = next;
    const display = present([current], context)[0]!;
    const now = text(display);
    // A rewrite the display undoes (xᵀ − mᵀ is shown (x − m)ᵀ) is not a line, and not named.
    if (now === shown) continue;
    shown = now;
    if (lines.length < policy.maxLines) lines.push({ rule: ruleColumn(group.rules), coefficient: display });
    else omitted++;
  }
  return { lines, omitted };
}

/** The ids of a group of rewrites, rearrangements left out unless they are the only change. */
function ruleColumn(ids: readonly string[]): string {
  const named = ids.filter((id) => !TIDY_POLICY.arrangementOnly.has(id));
  return (named.length > 0 ? named : ids).join(' ');
}

/** Consecutive rewrites of one node are one change: the node's ids, from its first form to its last. */
function byNode(steps: readonly SimplifyStep[]): { before: Term; after: Term; rules: string[] }[] {
  const groups: { before: Term; after: Term; rules: string[] }[] = [];
  for (const step of steps) {
    const last = groups[groups.length - 1];
    if (last && (last.before === step.before || last.after === step.before)) {
      last.after = step.after;
      if (!last.rules.includes(step.rule)) last.rules.push(step.rule);
    } else groups.push({ before: step.before, after: step.after, rules: [step.rule] });
  }
  return groups;
}

/** `root` with the node `before` replaced by `after` wherever it occurs (iterative). */
function replaceNode(root: Term, before: Term, after: Term): Term {
  if (before === after) return root;
  if (root === before) return after;
  const rebuilt = new Map<Term, Term>();
  for (const node of postOrder([root])) {
    if (node === before) {
      rebuilt.set(node, after);
      continue;
    }
    const kids = childrenOf(node);
    const now = kids.map((k) => rebuilt.get(k) ?? k);
    rebuilt.set(node, now.every((k, i) => k === kids[i]) ? node : T.withChildren(node, now));
  }
  return rebuilt.get(root) ?? root;
}
