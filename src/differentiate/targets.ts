import * as T from '../term/factory.js';
import type { Shape, Term } from '../term/term.js';
import { directionName, type DerivativeBlock } from './read-off.js';

/**
 * The blocks a derivative command reads off, one forward sweep each: diff and jac sweep f once per
 * variable, in the direction dX; hess sweeps each gradient ∇_a f once per variable b, in the
 * direction V (V_b when there are several), so its blocks are H_ab[V_b].
 */
export interface BlockTarget {
  /** hess: the variable whose gradient is differentiated (the block's rows). */
  readonly of?: string;
  /** The function the sweep differentiates: f, or a gradient for a Hessian. */
  readonly fn: Term;
  readonly wrt: string;
  /** The direction variable, of wrt's shape: named so that no input uses the name. */
  readonly direction: Term;
  readonly rowsShape?: Shape;
}

/** diff, jac: f in the direction d<x> (δ<x> when an input is called dx); `differentials` maps dx to x. */
export function differentialTargets(
  f: Term,
  wrt: readonly string[],
  variables: ReadonlyMap<string, Shape>,
  taken: ReadonlySet<string>,
): { targets: BlockTarget[]; differentials: Map<string, string> } {
  const differentials = new Map<string, string>();
  const targets = wrt.map((b) => {
    const name = directionName([`d${b}`, `δ${b}`], taken);
    differentials.set(name, b);
    return { fn: f, wrt: b, direction: T.variable(name, variables.get(b)!) };
  });
  return { targets, differentials };
}

/** hess: each gradient (in normal form, as the sweep reads it best) against every variable. */
export function hessianTargets(
  wrt: readonly string[],
  gradients: readonly Term[],
  variables: ReadonlyMap<string, Shape>,
  taken: ReadonlySet<string>,
): BlockTarget[] {
  const single = wrt.length === 1;
  return wrt.flatMap((a, i) =>
    wrt.map((b) => {
      const name = directionName(single ? ['V', 'U', 'H'] : [`V_${b}`], taken);
      return { of: a, fn: gradients[i]!, wrt: b, direction: T.variable(name, variables.get(b)!), rowsShape: variables.get(a)! };
    }),
  );
}

/**
 * diff, jac: the total differential, the sum of the blocks' parts (zero parts left out), tidied when
 * there are several.
 */
export function totalDifferential(blocks: readonly DerivativeBlock[], shape: Shape, tidy: (terms: readonly Term[]) => Term[]): Term {
  const parts = blocks.map((b) => b.linear).filter((t) => !(t.kind === 'zero' || (t.kind === 'num' && t.value === 0)));
  if (parts.length === 0) return T.zero(shape);
  return parts.length === 1 ? parts[0]! : tidy([T.add(parts)])[0]!;
}
