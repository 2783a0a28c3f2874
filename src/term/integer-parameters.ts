import { opDeclaration } from './ops.js';
import type { Term } from './term.js';
import { postOrder } from './traverse.js';

/**
 * The variables in an op's integer parameters (the n of Xⁿ, OpDeclaration.integer): never
 * differentiated (--wrt refuses them) and drawn by the check as small integers ≥ 0.
 */
export function integerParameters(roots: readonly Term[]): Set<string> {
  const names = new Set<string>();
  for (const node of postOrder(roots)) {
    if (node.kind !== 'op') continue;
    for (const index of opDeclaration(node.op).integer ?? []) {
      for (const inner of postOrder([node.args[index]!])) if (inner.kind === 'var') names.add(inner.name);
    }
  }
  return names;
}
