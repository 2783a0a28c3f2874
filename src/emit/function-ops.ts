import { opDeclaration, type Term, type TermOf } from '../term/term.js';
import { postOrder } from '../term/traverse.js';

/**
 * The op nodes of a function, in post-order, found once per function: the answer's labels (the
 * abstract functions f applies) and its shapes line (the integer parameters) both read them, and the
 * pipeline and each format ask again, each a walk of the whole of f (~60 ms on a 1 MB input).
 */
const opsOf = new WeakMap<Term, readonly TermOf<'op'>[]>();

export function functionOps(f: Term): readonly TermOf<'op'>[] {
  let ops = opsOf.get(f);
  if (ops === undefined) {
    ops = postOrder([f]).filter((t): t is TermOf<'op'> => t.kind === 'op');
    opsOf.set(f, ops);
  }
  return ops;
}

/** The ops with integer parameters (the n of Xⁿ): integerParameters of these is integerParameters of f. */
export function integerOps(f: Term): readonly TermOf<'op'>[] {
  return functionOps(f).filter((t) => opDeclaration(t.op).integer !== undefined);
}
