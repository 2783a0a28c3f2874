import * as T from '../term/factory.js';
import { opDeclaration, type Dim, type Term, type TermOf } from '../term/term.js';
import { postOrder } from '../term/traverse.js';

/**
 * The Python iterable of columns(B, V)'s directions (term/ops.ts): the n columns of the identity, each
 * in V's shape, an (n, 1) column or a (1, n) row, so that `for V in …` binds V to e₁, …, eₙ.
 */
export function eyeColumns(eye: string, node: TermOf<'op'>, dim: (d: Dim) => string, dtype?: string): string {
  const [rows, cols] = node.args[1]!.shape;
  const n = dim(rows === 1 ? cols : rows);
  return `${eye}(${n}${dtype ? `, ${dtype}` : ''})${rows === 1 ? '[:, None, :]' : '[:, :, None]'}`;
}

/** Whether a node depends on a variable that a columns(B, V) among `roots` binds; undefined when none does. */
export function boundDependence(roots: readonly Term[]): ((t: Term) => boolean) | undefined {
  const names = new Set<string>();
  for (const t of postOrder(roots)) {
    if (t.kind !== 'op' || opDeclaration(t.op).binds === undefined) continue;
    const v = t.args[opDeclaration(t.op).binds!]!;
    if (v.kind === 'var') names.add(v.name);
  }
  return names.size === 0 ? undefined : T.dependencyTest([...names]);
}
