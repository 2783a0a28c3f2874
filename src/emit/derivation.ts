import type { DerivationStep, DerivationTerm, RecordedDerivation } from '../differentiate/derivation.js';
import type { SimplifyContext } from '../simplify/simplify.js';
import { present, simplify } from '../simplify/simplify.js';
import type { Term } from '../term/term.js';
import { emitText } from './text.js';

/**
 * The recorded derivation (src/differentiate/derivation.ts), each step's coefficients simplified (the
 * notes write each line tidied) and the line printed. The terms keep their structure for LaTeX.
 */
export function renderDerivation(
  recorded: RecordedDerivation,
  context: SimplifyContext,
  names: ReadonlyMap<Term, string>,
): DerivationStep[] {
  const steps: DerivationStep[] = recorded.steps.map((step) => {
    const terms = step.terms.map((t) => ({ coefficient: present(simplify([t.coefficient], context), context)[0]!, node: t.node }));
    return { rule: step.rule, terms, text: renderTerms(terms, names) };
  });
  if (recorded.omitted !== undefined) steps.push({ rule: 'elided', terms: [], text: `… ${recorded.omitted} more steps not shown` });
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
