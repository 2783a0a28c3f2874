import { inferShapes } from '../../src/shape/infer.js';
import { parseExpressionAt } from '../../src/syntax/parse.js';
import type { Term } from '../../src/term/term.js';
import { postOrder } from '../../src/term/traverse.js';
import { evaluateTerms } from '../../src/verify/evaluate.js';
import { maxAbs, subtract } from '../../src/verify/dense.js';
import { createRng } from '../../src/verify/random.js';
import { drawInputs } from '../../src/verify/sample.js';

/** Terms for the simplifier's unit tests, written in pattern notation, and their values compared. */
export type ShapeClass = 'scalar' | 'vector' | 'square' | 'matrix';

/** A term from pattern notation: `(?A')'` with ?A square. */
export function termOf(text: string, shapes: Record<string, ShapeClass> = {}): Term {
  const source = { name: 'test', text };
  const parsed = parseExpressionAt(source, 0, text.length, { patterns: true });
  if (!parsed.ok) throw new Error(parsed.diagnostics[0]!.message);
  const typed = inferShapes({ definitions: [], body: parsed.value }, source, { patternShapes: new Map(Object.entries(shapes)) });
  if (!typed.ok) throw new Error(typed.diagnostics[0]!.message);
  return typed.value.term;
}

/** Both terms evaluated at random inputs (sizes 3): the largest difference, relative. */
export function difference(a: Term, b: Term): number {
  const variables = new Map<string, Term['shape']>();
  const dims = new Set<string>();
  for (const node of postOrder([a, b])) {
    if (node.kind === 'var') variables.set(node.name, node.shape);
    for (const d of node.shape) if (typeof d === 'string') dims.add(d);
  }
  const dimSizes = new Map([...dims].map((d) => [d, 3]));
  const rng = createRng(5);
  for (let strategy = 0; strategy < 8; strategy++) {
    const values = drawInputs(variables, new Map(), dimSizes, rng, strategy);
    const result = evaluateTerms([a, b], { values, dimSizes });
    if (result.issues.length > 0) continue;
    const [x, y] = result.values;
    return maxAbs(subtract(x!, y!)) / (1 + maxAbs(x!));
  }
  throw new Error('no draw inside the domain');
}

