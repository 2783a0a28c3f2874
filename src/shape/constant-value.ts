import type { Ast } from '../syntax/ast.js';
import * as T from '../term/factory.js';
import { isScalarShape, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';

/**
 * The numeric value of a constant, read while building terms (build-terms.ts): of a scalar term
 * built from numbers alone (to refuse 2^2^2^2^2^2 or 1e308*10 with a position), and of an exponent
 * written as a number. Separate because it keeps its own cache, reset with the term table.
 */

/** The value of a scalar term built from numbers alone (2^2^2), if it is one. */
export function scalarConstant(t: Term): number | undefined {
  // A term with a variable is never one: no walk (x·x·…·x, 20,001 deep, overflowed the stack).
  if (!t.constant) return undefined;
  if (t.kind === 'num') return t.value; // every coefficient of a large sum: no cache entry, no walk
  const hit = constantValues.get(t);
  if (hit !== undefined || constantValues.has(t)) return hit;
  // Children first, without recursion: 2*2*…*2 nests as deep as it is long.
  for (const node of postOrder([t], (n) => !constantValues.has(n))) constantValues.set(node, ownConstant(node));
  return constantValues.get(t);
}

/** Values of constant terms, for scalarConstant. */
let constantValues = new WeakMap<Term, number | undefined>();
T.onTermsReset(() => (constantValues = new WeakMap()));

/** One node's constant value from its children's (already in constantValues). */
function ownConstant(t: Term): number | undefined {
  const value = (c: Term) => constantValues.get(c);
  if (t.kind === 'num') return t.value;
  if (t.kind === 'epow') {
    const base = value(t.base);
    const exponent = value(t.exponent);
    return base === undefined || exponent === undefined ? undefined : base ** exponent;
  }
  if (t.kind === 'mul' && isScalarShape(t.shape)) {
    let product = 1;
    for (const f of t.factors) {
      const v = value(f);
      if (v === undefined) return undefined;
      product *= v;
    }
    return product;
  }
  return undefined;
}

/** The value of a constant exponent written as a number or a negated number. */
export function constantValue(node: Ast): number | undefined {
  if (node.kind === 'number') return node.value;
  if (node.kind === 'negate' && node.operand.kind === 'number') return -node.operand.value;
  return undefined;
}
