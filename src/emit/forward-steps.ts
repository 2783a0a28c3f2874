import type { ForwardResult } from '../differentiate/forward-sweep.js';
import type { DerivativeStep, VariableGradient } from '../report.js';
import { isScalar, type Term } from '../term/term.js';
import { emitLatex, latexName } from './latex.js';
import { emitText, textName } from './text.js';

/**
 * The derivation of diff, jac and hess, rendered as it is recorded: each line in text and as a LaTeX
 * `aligned` row. The forward sweep records the steps; this file only prints them.
 */

/** hess: the gradient differentiated, as the first lines of the derivation. */
export function gradientStep(g: VariableGradient, names: ReadonlyMap<Term, string>, f = 'f'): DerivativeStep {
  return {
    rule: 'grad',
    text: `∇_${textName(g.name)} ${textName(f)} = ${emitText([g.gradient], { names, share: 'names' }).main[0]}`,
    latex: `\\nabla_{${latexName(g.name)}} ${latexName(f)} &= ${emitLatex([g.gradient], { names, share: 'names' }).main[0]}`,
  };
}

/** diff and jac: the total differential, the derivation's last line. */
export function totalStep(f: Term, differential: Term, names: ReadonlyMap<Term, string>, differentials: ReadonlyMap<string, string>, label?: string): DerivativeStep {
  const F = label ?? (isScalar(f) ? 'f' : 'F');
  return {
    rule: 'total',
    text: `d${textName(F)} = ${emitText([differential], { names, differentials, share: 'names' }).main[0]}`,
    latex: `\\mathrm{d}${latexName(F)} &= ${emitLatex([differential], { names, differentials, share: 'names' }).main[0]}`,
  };
}

/** The forward derivation, one line per node: d(exp(Xb)) = exp(Xb) ⊙ d(Xb), in text and LaTeX. */
export function forwardSteps(
  sweep: ForwardResult,
  names: ReadonlyMap<Term, string>,
  differentials: ReadonlyMap<string, string>,
  tidy: (terms: readonly Term[]) => Term[],
): DerivativeStep[] {
  const MAX = 400;
  const out: DerivativeStep[] = [];
  const text = new Map<string, string>();
  const latex = new Map<string, string>();
  // Nodes are shown in display form ((x − m)ᵀ rather than the normal form's xᵀ − mᵀ).
  const show = (t: Term) => {
    const shown = names.has(t) ? t : tidy([t])[0]!;
    return {
      text: names.has(t) ? `d${textName(names.get(t)!)}` : `d(${emitText([shown], { names, share: 'names' }).main[0]!})`,
      latex: names.has(t) ? `\\mathrm{d}${latexName(names.get(t)!)}` : `\\mathrm{d}(${emitLatex([shown], { names, share: 'names' }).main[0]!})`,
    };
  };
  for (const [placeholder, node] of sweep.placeholders) {
    if (placeholder.kind !== 'var') continue;
    const s = show(node);
    text.set(placeholder.name, s.text);
    latex.set(placeholder.name, s.latex);
  }
  for (const step of sweep.steps) {
    if (out.length >= MAX) {
      out.push({ rule: 'elided', text: `… ${sweep.steps.length - MAX} more steps not shown`, latex: `\\text{… ${sweep.steps.length - MAX} more steps}` });
      break;
    }
    if (!step.local) continue;
    const [local] = tidy([step.local]);
    const lhs = show(step.node);
    out.push({
      rule: step.rule,
      text: `${lhs.text} = ${emitText([local!], { names, share: 'names', differentials, verbatim: text }).main[0]}`,
      latex: `${lhs.latex} &= ${emitLatex([local!], { names, share: 'names', differentials, verbatim: latex }).main[0]}`,
    });
  }
  return out;
}
