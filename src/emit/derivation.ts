import type { DerivationStep, DerivationTerm, RecordedDerivation } from '../differentiate/derivation.js';
import type { SimplifyContext } from '../simplify/simplify.js';
import { present, simplify } from '../simplify/simplify.js';
import type { Term } from '../term/term.js';
import { emitText } from './text.js';
import { tidySum } from './tidy-steps.js';

/**
 * The recorded derivation (src/differentiate/derivation.ts), each step's coefficients simplified (the
 * notes write each line tidied) and the line printed. The terms keep their structure for LaTeX.
 * A gathering step shows its tidying as steps of their own, each named by its simplification rules
 * (⟨Aᵀx, dx⟩ + ⟨Ax, dx⟩ = ⟨(A + Aᵀ)x, dx⟩  simp.factor-right); the last line is the gathered one.
 */
export function renderDerivation(
  recorded: RecordedDerivation,
  context: SimplifyContext,
  names: ReadonlyMap<Term, string>,
): DerivationStep[] {
  // Each step repeats the frontier of the step before with one node changed, so a coefficient is
  // tidied and a term printed once for the whole derivation (400 steps of a 37,000-term sum
  // re-simplified and re-printed every term at every step).
  const tidied = new Map<Term, Term>();
  const tidy = (t: Term) => {
    let out = tidied.get(t);
    if (out === undefined) tidied.set(t, (out = present(simplify([t], context), context)[0]!));
    return out;
  };
  const render = termsRenderer(names);
  const steps: DerivationStep[] = [];
  for (const step of recorded.steps) {
    const terms = step.terms.map((t) => ({ coefficient: tidy(t.coefficient), node: t.node }));
    const line = { rule: step.rule, terms, text: render(terms) };
    if (step.gathered) steps.push(...tidyingSteps(step.gathered, line, context, render, tidy));
    else steps.push(line);
  }
  if (recorded.omitted !== undefined) steps.push({ rule: 'elided', terms: [], text: `… ${recorded.omitted} more steps not shown` });
  return steps;
}

type TermsRenderer = (terms: readonly DerivationTerm[]) => string;

/** The tidying of a gathered node's sum, then the gathered line itself unless the tidying ends there. */
function tidyingSteps(
  gathered: { readonly node: Term; readonly contributions: readonly Term[] },
  line: DerivationStep,
  context: SimplifyContext,
  render: TermsRenderer,
  tidy: (t: Term) => Term,
): DerivationStep[] {
  const withCoefficient = (coefficient: Term) => line.terms.map((t) => (t.node === gathered.node ? { coefficient, node: t.node } : t));
  const tidying = tidySum(gathered.contributions.map(tidy), context, (c) => render(withCoefficient(c)));
  const out: DerivationStep[] = tidying.lines.map((l) => {
    const terms = withCoefficient(l.coefficient);
    return { rule: l.rule, terms, text: render(terms) };
  });
  if (tidying.omitted > 0) out.push({ rule: 'elided', terms: [], text: `… ${tidying.omitted} more tidying steps not shown` });
  if (out.length === 0 || out[out.length - 1]!.text !== line.text) out.push(line);
  return out;
}

/** "⟨a, d(exp(Xb))⟩ + ⟨b, dX⟩" */
export function renderTerms(terms: readonly DerivationTerm[], names: ReadonlyMap<Term, string>): string {
  return termsRenderer(names)(terms);
}

/**
 * renderTerms with a memory of the terms it has printed. Printed with the caller's names alone
 * (share: 'names'), a term's text depends on nothing else in the line, so it is kept by term; the
 * terms not seen yet are printed together in one emitText call.
 */
function termsRenderer(names: ReadonlyMap<Term, string>): TermsRenderer {
  const texts = new Map<Term, string>();
  const learn = (terms: readonly DerivationTerm[]) => {
    const fresh: Term[] = [];
    const pending = new Set<Term>();
    for (const t of terms) {
      for (const u of [t.coefficient, t.node]) {
        if (!texts.has(u) && !pending.has(u)) {
          pending.add(u);
          fresh.push(u);
        }
      }
    }
    if (fresh.length === 0) return;
    const printed = emitText(fresh, { names, share: 'names' }).main;
    for (let i = 0; i < fresh.length; i++) texts.set(fresh[i]!, printed[i]!);
  };
  return (terms) => {
    if (terms.length === 0) return '0';
    learn(terms);
    const parts: string[] = [];
    for (const t of terms) {
      const node = texts.get(t.node)!;
      const atomic = t.node.kind === 'var' || names.has(t.node);
      const d = atomic ? `d${node}` : `d(${node})`;
      parts.push(`⟨${texts.get(t.coefficient)!}, ${d}⟩`);
    }
    return parts.join(' + ');
  };
}
