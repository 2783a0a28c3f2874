import * as T from '../term/factory.js';
import type { Term } from '../term/term.js';
import type { TapeEntry } from './reverse-sweep.js';

/**
 * The derivation as the notes write it, read off the sweep's tape: one step per tape entry, each
 * step the whole differential df = Σ ⟨coefficient, d(node)⟩ over the current frontier of the sweep.
 * A node reached along several paths shows the gathering step itself (⟨MY, dY⟩ + ⟨MᵀY, dY⟩ =
 * ⟨(M + Mᵀ)Y, dY⟩). The coefficients are the sweep's own terms, unsimplified: tidying and printing
 * each step is the emitter's work (src/emit/derivation.ts), so this stage imports no later one.
 */
export interface DerivationTerm {
  readonly coefficient: Term;
  readonly node: Term;
}

export interface RecordedStep {
  /** 'start', 'gather', or the ids of the rules applied at this step. */
  readonly rule: string;
  readonly terms: readonly DerivationTerm[];
  /**
   * Only on a 'gather' step: the node whose contributions it sums, and those contributions as the
   * step before showed them, so the emitter can show the tidying of the sum (ENGINE.md §3).
   */
  readonly gathered?: { readonly node: Term; readonly contributions: readonly Term[] };
}

export interface RecordedDerivation {
  readonly steps: readonly RecordedStep[];
  /** Only when the step limit cut the record short: the tape entries past the limit. */
  readonly omitted?: number;
}

/**
 * One step as a report carries it: the recorded step with its coefficients tidied, and the line as
 * text. Filled in by src/emit/derivation.ts; declared here, beside what it is made from, so that the
 * report's types import nothing from the emitters.
 */
export interface DerivationStep {
  /** 'start', 'gather', 'elided', or the ids of the rules applied at this step. */
  readonly rule: string;
  readonly terms: readonly DerivationTerm[];
  /** The step as text: "⟨a, d(exp(Xb))⟩". */
  readonly text: string;
}

/** Past this many steps a derivation is no longer read: the rest is counted, not recorded. */
const MAX_STEPS = 400;
/**
 * Nor past this many terms over all recorded steps: each step is the whole frontier, so a sum of
 * 37,000 terms made 400 steps of 37,000 terms each (a JSON answer of gigabytes, an HTML page KaTeX
 * gave up on). Above any derivation a reader follows (400 steps of 25 terms).
 */
const MAX_STEP_TERMS = 10_000;

export function recordDerivation(f: Term, tape: readonly TapeEntry[]): RecordedDerivation {
  const frontier = new Map<Term, Term[]>([[f, [T.num(1)]]]);
  const steps: RecordedStep[] = [];
  let recordedTerms = 0;
  /** The tape entries already taken into the frontier when the term budget stopped the record. */
  let stoppedAt: number | undefined;
  let consumed = 0;
  const snapshot = (rule: string, merged?: { node: Term; adjoint: Term; contributions: readonly Term[] }) => {
    if (steps.length >= MAX_STEPS || stoppedAt !== undefined) return;
    let size = 0;
    for (const [node, list] of frontier) size += merged && merged.node === node ? 1 : list.length;
    if (steps.length > 0 && recordedTerms + size > MAX_STEP_TERMS) {
      stoppedAt = consumed;
      return;
    }
    recordedTerms += size;
    const terms: DerivationTerm[] = [];
    for (const [node, list] of frontier) {
      if (merged && merged.node === node) {
        terms.push({ coefficient: merged.adjoint, node });
        continue;
      }
      for (const c of list) terms.push({ coefficient: c, node });
    }
    steps.push(merged ? { rule, terms, gathered: { node: merged.node, contributions: merged.contributions } } : { rule, terms });
  };
  snapshot('start');
  for (const entry of tape) {
    const list = frontier.get(entry.node);
    consumed++;
    if (!list) continue;
    if (list.length > 1) snapshot('gather', { node: entry.node, adjoint: entry.adjoint, contributions: [...list] });
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
  if (stoppedAt !== undefined) return { steps, omitted: tape.length - stoppedAt + 1 };
  return steps.length >= MAX_STEPS ? { steps, omitted: tape.length - MAX_STEPS } : { steps };
}
