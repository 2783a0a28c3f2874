import { emitText } from '../emit/text.js';
import type { SimplifyContext } from '../simplify/simplify.js';
import { present, simplify } from '../simplify/simplify.js';
import * as T from '../term/factory.js';
import type { Term } from '../term/term.js';
import type { TapeEntry } from './reverse-sweep.js';

/**
 * The derivation as the notes write it: one line per step, each line the whole differential
 * df = Σ ⟨coefficient, d(node)⟩ over the current frontier of the sweep. A node reached along
 * several paths shows the gathering step itself (⟨MY, dY⟩ + ⟨MᵀY, dY⟩ = ⟨(M + Mᵀ)Y, dY⟩).
 * Coefficients are shown simplified; the terms keep their structure for the LaTeX emitter.
 */
export interface DerivationTerm {
  readonly coefficient: Term;
  readonly node: Term;
}

export interface DerivationStep {
  /** 'start', 'gather', or the ids of the rules applied at this step. */
  readonly rule: string;
  readonly terms: readonly DerivationTerm[];
  /** The step as text: "⟨a, d(exp(Xb))⟩". */
  readonly text: string;
}

const MAX_STEPS = 400;

export function buildDerivation(
  f: Term,
  tape: readonly TapeEntry[],
  context: SimplifyContext,
  names: ReadonlyMap<Term, string>,
): DerivationStep[] {
  const frontier = new Map<Term, Term[]>([[f, [T.num(1)]]]);
  const steps: DerivationStep[] = [];
  const snapshot = (rule: string, merged?: { node: Term; adjoint: Term }) => {
    if (steps.length >= MAX_STEPS) return;
    const terms: DerivationTerm[] = [];
    for (const [node, list] of frontier) {
      if (merged && merged.node === node) {
        terms.push({ coefficient: present(simplify([merged.adjoint], context), context)[0]!, node });
        continue;
      }
      for (const c of list) terms.push({ coefficient: present(simplify([c], context), context)[0]!, node });
    }
    steps.push({ rule, terms, text: renderTerms(terms, names) });
  };
  snapshot('start');
  for (const entry of tape) {
    const list = frontier.get(entry.node);
    if (!list) continue;
    if (list.length > 1) snapshot('gather', { node: entry.node, adjoint: entry.adjoint });
    if (entry.node.kind === 'var') {
      frontier.set(entry.node, [entry.adjoint]);
      continue;
    }
    frontier.delete(entry.node);
    for (const c of entry.contributions) {
      const existing = frontier.get(c.child);
      if (existing) existing.push(c.coefficient);
      else frontier.set(c.child, [c.coefficient]);
    }
    snapshot(entry.rules.join(' '));
  }
  if (steps.length >= MAX_STEPS) {
    steps.push({ rule: 'elided', terms: [], text: `… ${tape.length - MAX_STEPS} more steps not shown` });
  }
  return steps;
}

/** "⟨a, d(exp(Xb))⟩ + ⟨b, dX⟩" */
export function renderTerms(terms: readonly DerivationTerm[], names: ReadonlyMap<Term, string>): string {
  if (terms.length === 0) return '0';
  const texts = emitText(
    terms.flatMap((t) => [t.coefficient, t.node]),
    { names, share: 'names' },
  ).main;
  const parts: string[] = [];
  for (let i = 0; i < terms.length; i++) {
    const coefficient = texts[2 * i]!;
    const node = texts[2 * i + 1]!;
    const atomic = terms[i]!.node.kind === 'var' || names.has(terms[i]!.node);
    const d = atomic ? `d${node}` : `d(${node})`;
    parts.push(`⟨${coefficient}, ${d}⟩`);
  }
  return parts.join(' + ');
}
