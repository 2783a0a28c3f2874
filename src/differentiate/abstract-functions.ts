import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { abstractFunctionName } from '../term/abstract-functions.js';
import * as T from '../term/factory.js';
import { opDeclaration, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';

/**
 * A Hessian through an abstract function needs ∇²f or g″, which no symbol names (their pullbacks,
 * of ∇f and g′, have no rule): refused with the call and the missing derivative, before the sweep.
 */
export function secondOrderOfAbstract(f: Term, wrt: readonly string[]): Diagnostic | undefined {
  const dependent = T.dependencyTest(wrt);
  for (const node of postOrder([f], dependent)) {
    if (node.kind !== 'op' || !dependent(node)) continue;
    const role = opDeclaration(node.op).abstract;
    if (role === undefined) continue;
    const name = abstractFunctionName(node.args);
    const scalar = role === 'scalar' || role === 'gradient';
    return diag('diff/abstract-second-order', {}, `${name}(…)`, scalar ? `∇²${name}` : `${name}″`);
  }
  return undefined;
}
