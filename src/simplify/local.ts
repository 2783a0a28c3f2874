import { InternalError } from '../diagnostics/diagnostic.js';
import { loadRulebook } from '../rewrite/load-rules.js';
import { findLocalRule, instantiateLocal, type LocalRuleIndex } from '../rewrite/local-rules.js';
import * as T from '../term/factory.js';
import { childrenOf, type OpName, type Shape, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import type { LocalHeadKind, Simplifier } from './simplifier-types.js';

/**
 * The local identities — involutions, det/logdet/trace/sum of a transpose or an inverse, log∘exp,
 * ⟨I, A⟩ = tr A, diag∘Diag, tr(abᵀ) = bᵀa, … — are not written here: they are the rules marked
 * `local` in rules/simplify.rules, applied by the rewrite matcher (src/rewrite/local-rules.ts).
 * Each operation of the simplifier asks for them first, before its own code, with the operands it
 * is about to combine (already in normal form): the first rule of the node's head that matches
 * replaces the node by its right side, whose new nodes are then simplified bottom-up like any
 * other (the bound operands are normal already), so the result is a normal form.
 */

/** The local rules of the standard rulebook (loaded once per process; rules/ ships with the package). */
export function standardLocalRules(): LocalRuleIndex {
  const book = loadRulebook();
  if (!book.ok) throw new InternalError(`the rule files do not load: ${book.diagnostics[0]!.message}`);
  return book.value.local;
}

/**
 * The node `kind(a)` (or `kind(a, b)`; for `fn`, the function `fn`) rewritten by the first local
 * rule that applies, in normal form, or undefined when none does (the caller's code then builds
 * the node). Operands are passed one by one: this runs at every node, and almost always finds nothing.
 */
export function rewriteLocal(s: Simplifier, kind: LocalHeadKind, a: Term, b?: Term, fn?: string): Term | undefined {
  const rules = s.localRules.rulesFor(kind, fn);
  if (rules === undefined) return undefined;
  const match = findLocalRule(rules, a, b);
  if (match === undefined) return undefined;
  const replacement = instantiateLocal(match, kind === 'op' ? nodeOf(kind, a, b, fn).shape : headShape(kind, a));
  const result = normalizeBuilt(s, replacement, new Set(match.bindings.values()));
  s.applied(match.rule.id, () => nodeOf(kind, a, b, fn), result);
  return result;
}

/** The simplified form of a term whose parts in `normal` are normal forms already (the bound operands). */
function normalizeBuilt(s: Simplifier, term: Term, normal: ReadonlySet<Term>): Term {
  if (normal.has(term)) return term;
  const done = new Map<Term, Term>();
  for (const node of postOrder([term], (n) => !normal.has(n))) {
    const kids = childrenOf(node).map((c) => (normal.has(c) ? c : done.get(c)!));
    done.set(node, s.canon(node, kids));
  }
  return done.get(term)!;
}

function headShape(kind: Exclude<LocalHeadKind, 'op'>, first: Term): Shape {
  switch (kind) {
    case 'transpose':
      return [first.shape[1], first.shape[0]];
    case 'trace':
    case 'det':
    case 'logdet':
    case 'sum':
    case 'norm1':
    case 'norm2':
    case 'inner':
      return T.SCALAR;
    case 'diag':
      return [first.shape[0], 1];
    case 'diagm':
      return [first.shape[0], first.shape[0]];
    case 'inv':
    case 'hdiv':
    case 'epow':
    case 'fn':
      return first.shape;
  }
}

/** The node as it stood before the rule applied (for the trace of steps only). */
function nodeOf(kind: LocalHeadKind, a: Term, b: Term | undefined, fn: string | undefined): Term {
  switch (kind) {
    case 'transpose':
      return T.transpose(a);
    case 'inv':
      return T.inv(a);
    case 'trace':
    case 'det':
    case 'logdet':
    case 'sum':
    case 'norm1':
    case 'norm2':
      return T.reduce(kind, a);
    case 'diag':
      return T.diag(a);
    case 'diagm':
      return T.diagm(a);
    case 'inner':
      return T.inner(a, b!);
    case 'hdiv':
      return T.hdiv(a, b!);
    case 'epow':
      return T.epow(a, b!);
    case 'fn':
      return T.fn(fn as Parameters<typeof T.fn>[0], a);
    case 'op':
      return T.op(fn as OpName, b === undefined ? [a] : [a, b]);
  }
}
