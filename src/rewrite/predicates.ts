import { isScalarShape, type Term } from '../term/term.js';

/**
 * Guards a rule may name (`when square(?A)`). Each takes the term bound to a pattern variable.
 * rules/predicates.md documents them; the rule loader rejects any other name.
 */
export const PREDICATES: ReadonlyMap<string, (t: Term) => boolean> = new Map([
  ['scalar', (t: Term) => isScalarShape(t.shape)],
  ['matrix', (t: Term) => !isScalarShape(t.shape)],
  ['vector', (t: Term) => t.shape[1] === 1 && t.shape[0] !== 1],
  ['square', (t: Term) => t.shape[0] === t.shape[1]],
  ['constant', (t: Term) => t.constant],
  ['integer', (t: Term) => t.kind === 'num' && Number.isInteger(t.value)],
  ['ones', (t: Term) => t.kind === 'ones'],
]);

/** The shape a guard implies for an unbound pattern variable (rule checks and soundness tests). */
export function shapeClassOf(predicates: readonly string[]): 'scalar' | 'vector' | 'square' | 'matrix' {
  if (predicates.includes('scalar') || predicates.includes('integer')) return 'scalar';
  if (predicates.includes('vector') || predicates.includes('ones')) return 'vector';
  if (predicates.includes('square')) return 'square';
  return 'matrix';
}
