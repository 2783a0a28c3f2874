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
  const tidy = (t: Term) => present(simplify([t], context), context)[0]!;
  const steps: DerivationStep[] = [];
  for (const step of recorded.steps) {
    const terms = step.terms.map((t) => ({ coefficient: tidy(t.coefficient), node: t.node }));
    const line = { rule: step.rule, terms, text: renderTerms(terms, names) };
    if (step.gathered) steps.push(...tidyingSteps(step.gathered, line, context, names, tidy));
    else steps.push(line);
  }
  if (recorded.omitted !== undefined) steps.push({ rule: 'elided', terms: [], text: `… ${recorded.omitted} more steps not shown` });
  return steps;
}

/** The tidying of a gathered node's sum, then the gathered line itself unless the tidying ends there. */
function tidyingSteps(
  gathered: { readonly node: Term; readonly contributions: readonly Term[] },
  line: DerivationStep,
  context: SimplifyContext,
  names: ReadonlyMap<Term, string>,
  tidy: (t: Term) => Term,
): DerivationStep[] {
  const withCoefficient = (coefficient: Term) => line.terms.map((t) => (t.node === gathered.node ? { coefficient, node: t.node } : t));
  const tidying = tidySum(gathered.contributions.map(tidy), context, (c) => renderTerms(withCoefficient(c), names));
  const out: DerivationStep[] = tidying.lines.map((l) => {
    const terms = withCoefficient(l.coefficient);
    return { rule: l.rule, terms, text: renderTerms(terms, names) };
  });
  if (tidying.omitted > 0) out.push({ rule: 'elided', terms: [], text: `… ${tidying.omitted} more tidying steps not shown` });
  if (out.length === 0 || out[out.length - 1]!.text !== line.text) out.push(line);
  return out;
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
