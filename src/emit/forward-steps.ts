import type { ForwardResult } from '../differentiate/forward-sweep.js';
import type { DerivativeStep, VariableGradient } from '../report.js';
import { present, type SimplifyContext } from '../simplify/simplify.js';
import * as T from '../term/factory.js';
import { childrenOf, isScalar, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import { emitLatex, latexName } from './latex.js';
import { emitText, textName } from './text.js';
import { TIDY_POLICY, tidyTerm, type Tidying } from './tidy-steps.js';

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

/** What a forward derivation's tidying is of: the differential (diff, jac) or H[V] (hess), in text and LaTeX. */
export interface TidyingLabel {
  readonly text: string;
  readonly latex: string;
}

/**
 * The label of one sweep's result, as the answer's lines name it (derivative.ts): dF, or dF (x only)
 * when several variables each have a sweep; H[V], or H_ab[V_b] for a mixed block of hess.
 */
export function tidyingLabel(
  command: 'diff' | 'jac' | 'hess',
  f: Term,
  target: { readonly of?: string; readonly wrt: string; readonly direction: Term },
  single: boolean,
): TidyingLabel {
  if (command === 'hess') {
    const v = target.direction.kind === 'var' ? target.direction.name : 'V';
    const mixed = target.of !== undefined && target.of !== target.wrt;
    const sub = mixed ? `_${textName(target.of!)}${textName(target.wrt)}` : '';
    const subLatex = mixed ? `_{${latexName(target.of!)}${latexName(target.wrt)}}` : '';
    return { text: `H${sub}[${textName(v)}]`, latex: `H${subLatex}[${latexName(v)}]` };
  }
  const F = isScalar(f) ? 'f' : 'F';
  if (single) return { text: `d${F}`, latex: `\\mathrm{d}${F}` };
  return { text: `d${F} (${textName(target.wrt)} only)`, latex: `\\mathrm{d}${F}\\big|_{${latexName(target.wrt)}}` };
}

/**
 * The tidying of one sweep's differential (ENGINE.md §3: a derivation ends with its tidying steps):
 * the lines above substituted into one another, as they show them, then one line per visible change
 * to the answer, each named by the identities of rules/simplify.rules that made it (tidy-steps.ts
 * chooses the lines, as for a gradient's gathered sum). Nothing when the substituted lines are
 * already the answer.
 */
export function forwardTidying(
  sweep: ForwardResult,
  tidy: (terms: readonly Term[]) => Term[],
  label: TidyingLabel,
  context: SimplifyContext,
  names: ReadonlyMap<Term, string>,
  differentials: ReadonlyMap<string, string>,
): DerivativeStep[] {
  const text = (t: Term) => emitText([t], { names, differentials, share: 'names' }).main[0]!;
  const latex = (t: Term) => emitLatex([t], { names, differentials, share: 'names' }).main[0]!;
  // From the lines as printed when that tidies to the answer; else from the sweep's own differential
  // (whose tidying is the answer, though it starts less readably: the rules' raw right sides).
  // Printed whole (only the user's definitions by name), a DAG can be exponentially long: such a
  // differential is not tidied line by line, as a gradient's sum past the same size is not.
  const fits = (t: Term) => printedSize(t, names, TIDY_POLICY.maxNodes) <= TIDY_POLICY.maxNodes;
  const answerTerm = tidy([sweep.differential])[0]!;
  if (!fits(answerTerm) || !fits(sweep.differential)) return [];
  const answer = text(answerTerm);
  const substituted = substitutedSteps(sweep, tidy);
  const composed = substituted !== undefined && fits(substituted) ? substituted : undefined;
  let raw = composed ?? sweep.differential;
  let tidying = tidyTerm(raw, context, text);
  if (composed !== undefined && endText(tidying, raw, text, context) !== answer) {
    raw = sweep.differential;
    tidying = tidyTerm(raw, context, text);
  }
  if (tidying.lines.length === 0) return [];
  // The continuation lines line up under the first one's equals sign, as a gradient's derivation's do.
  const pad = ' '.repeat([...label.text].length);
  const start = present([raw], context)[0]!;
  const out: DerivativeStep[] = [{ rule: 'start', text: `${label.text} = ${text(start)}`, latex: `${label.latex} &= ${latex(start)}` }];
  for (const line of tidying.lines) out.push({ rule: line.rule, text: `${pad} = ${text(line.coefficient)}`, latex: `&= ${latex(line.coefficient)}` });
  if (tidying.omitted > 0) out.push({ rule: 'elided', text: `${pad}   … ${tidying.omitted} more tidying steps not shown`, latex: `&\\text{… ${tidying.omitted} more tidying steps}` });
  return out;
}

/** The size of `root` printed as a tree, the named nodes as their names; past `cap`, cap + 1. */
function printedSize(root: Term, names: ReadonlyMap<Term, string>, cap: number): number {
  const size = new Map<Term, number>();
  for (const node of postOrder([root], (t) => !names.has(t))) {
    const below = childrenOf(node).reduce((n, c) => n + (size.get(c) ?? 1), 0);
    size.set(node, Math.min(cap + 1, 1 + below));
  }
  return size.get(root) ?? 1;
}

/** The text a tidying ends on. */
function endText(tidying: Tidying, start: Term, text: (t: Term) => string, context: SimplifyContext): string {
  const last = tidying.lines[tidying.lines.length - 1];
  return text(last !== undefined ? last.coefficient : present([start], context)[0]!);
}

/**
 * The root's differential composed from the lines as printed: each node's tidied local form with its
 * children's differentials put in for their placeholders, children first. Undefined when the sweep
 * was not recorded or has no step (f is a variable).
 */
function substitutedSteps(sweep: ForwardResult, tidy: (terms: readonly Term[]) => Term[]): Term | undefined {
  const composed = new Map<Term, Term>();
  let last: Term | undefined;
  for (const step of sweep.steps) {
    if (!step.local) return undefined;
    const local = tidy([step.local])[0]!;
    last = replaceVariables(local, (v) => {
      const child = sweep.placeholders.get(v);
      return child === undefined ? undefined : composed.get(child);
    });
    composed.set(step.node, last);
  }
  return last;
}

/** `root` with each variable that `by` maps replaced (iterative, each node once). */
function replaceVariables(root: Term, by: (v: Term) => Term | undefined): Term {
  const rebuilt = new Map<Term, Term>();
  for (const node of postOrder([root])) {
    if (node.kind === 'var') {
      rebuilt.set(node, by(node) ?? node);
      continue;
    }
    const kids = childrenOf(node);
    const now = kids.map((k) => rebuilt.get(k)!);
    rebuilt.set(node, now.every((k, i) => k === kids[i]) ? node : T.withChildren(node, now));
  }
  return rebuilt.get(root)!;
}

/** Whether `line` says what the tidying's last line says already (the tidying ended on the answer). */
export function repeatsLast(tidying: readonly DerivativeStep[], line: DerivativeStep): boolean {
  const last = tidying[tidying.length - 1];
  const rightSide = (text: string) => text.slice(text.indexOf(' = ') + 3);
  return last !== undefined && last.rule !== 'elided' && rightSide(last.text) === rightSide(line.text);
}
