import { InternalError } from '../diagnostics/diagnostic.js';
import { opDeclaration, type Term, type TermOf } from '../term/term.js';
import { Dense } from './dense.js';
import { resolveDim } from './dim-sizes.js';
import type { EvalContext, EvalIssue } from './eval-types.js';

/**
 * The value of columns(B, V) (term/ops.ts): B evaluated at V = e₁, …, eₙ, column j of the result. V is
 * bound, so the walk that reaches B's nodes from outside has no value for it; it is given zeros there
 * (B is linear in V: nothing is undefined at 0), and only the n evaluations here give the value.
 */
export function isColumns(t: Term): t is TermOf<'op'> {
  return t.kind === 'op' && opDeclaration(t.op).binds !== undefined;
}

/** The variables the columns nodes among `order` bind. */
export function boundVariables(order: readonly Term[]): TermOf<'var'>[] {
  const bound: TermOf<'var'>[] = [];
  for (const t of order) {
    if (!isColumns(t)) continue;
    const v = t.args[opDeclaration(t.op).binds!]!;
    if (v.kind !== 'var') throw new InternalError(`columns binds ${v.kind}, not a variable`);
    if (!bound.includes(v)) bound.push(v);
  }
  return bound;
}

/** The context with zeros for each bound variable that has no value (the walk's pass through B). */
export function withBound(ctx: EvalContext, bound: readonly TermOf<'var'>[]): EvalContext {
  const missing = bound.filter((v) => !ctx.values.has(v.name));
  if (missing.length === 0) return ctx;
  const values = new Map(ctx.values);
  for (const v of missing) values.set(v.name, new Dense(resolveDim(v.shape[0], ctx.dimSizes), resolveDim(v.shape[1], ctx.dimSizes)));
  return { values, dimSizes: ctx.dimSizes };
}

/** columns(B, V) at ctx, with `evaluate` the evaluator's entry (B's walk of its own, once per column). */
export function columnsValue(
  node: TermOf<'op'>,
  ctx: EvalContext,
  evaluate: (terms: readonly Term[], ctx: EvalContext) => { values: Dense[]; issues: EvalIssue[] },
  issues: EvalIssue[],
): Dense {
  const [b, v] = node.args as [Term, TermOf<'var'>];
  const rows = resolveDim(v.shape[0], ctx.dimSizes);
  const cols = resolveDim(v.shape[1], ctx.dimSizes);
  const n = rows * cols;
  const m = resolveDim(b.shape[0], ctx.dimSizes);
  const out = new Dense(m, n);
  for (let j = 0; j < n; j++) {
    const e = new Dense(rows, cols);
    e.data[j] = 1;
    const values = new Map(ctx.values);
    values.set(v.name, e);
    const at = evaluate([b], { values, dimSizes: ctx.dimSizes });
    issues.push(...at.issues);
    const column = at.values[0]!.data;
    for (let i = 0; i < m; i++) out.data[i * n + j] = column[i]!;
  }
  return out;
}
