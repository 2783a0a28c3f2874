import { impliesSquare, type Declarations } from './declarations.js';
import type { Shape } from '../term/term.js';

/** The shape of a --wrt variable that does not occur: declared, or by the naming convention. */
export function absentShape(name: string, declarations: Declarations, used: readonly string[]): Shape {
  const d = declarations.dims.get(name);
  if (d) return [d[0], d[1]];
  const spare = spareDims(used, 2);
  const first = name[0] ?? 'x';
  const square = impliesSquare(declarations.assumptions.get(name));
  if (square) return [spare[0]!, spare[0]!];
  return first !== first.toLowerCase() ? [spare[0]!, spare[1]!] : [spare[0]!, 1];
}

/** `count` dimension names that `used` does not have: p, q, …, w, then d1, d2, … (never run out). */
function spareDims(used: readonly string[], count: number): string[] {
  const out: string[] = [];
  const taken = new Set(used);
  const candidates = function* () {
    yield* ['p', 'q', 'r', 's', 't', 'u', 'v', 'w'];
    for (let i = 1; ; i++) yield `d${i}`;
  };
  for (const name of candidates()) {
    if (out.length === count) break;
    if (!taken.has(name)) out.push(name);
  }
  return out;
}
