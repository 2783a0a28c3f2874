import { InternalError } from '../diagnostics/diagnostic.js';
import type { Source } from '../diagnostics/span.js';
import { inferShapes } from '../shape/infer.js';
import type { Ast } from '../syntax/ast.js';
import type { Shape, Term } from '../term/term.js';
import type { Guard } from './rule.js';
import { PREDICATES } from './predicates.js';

/**
 * Builds a rule's right-hand template with its pattern variables bound to terms. The template goes
 * through the same shape stage as user input, with the bound terms' shapes fixed and the result
 * required to have `target`'s shape: so `?g * eye` gets the right identity size, and `?G * ?B'` is a
 * matrix product or a scalar multiple exactly as it would be for the user. Hash-consing makes a
 * template that mentions the node itself (`exp(?A)`) return the existing node.
 */
export function instantiate(template: Ast, source: Source, bindings: ReadonlyMap<string, Term>, target: Shape): Term {
  const result = inferShapes({ definitions: [], body: template }, source, { patternTerms: bindings, targetShape: target });
  if (!result.ok) {
    const d = result.diagnostics[0]!;
    throw new InternalError(`instantiating ${source.text.slice(template.span.start, template.span.end)}: ${d.message}`);
  }
  return result.value.term;
}

export function guardsHold(guards: readonly Guard[], bindings: ReadonlyMap<string, Term>): boolean {
  for (const guard of guards) {
    const term = bindings.get(guard.variable);
    const predicate = PREDICATES.get(guard.predicate);
    if (!term || !predicate || !predicate(term)) return false;
  }
  return true;
}
