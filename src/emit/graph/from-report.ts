import type { Report } from '../../report.js';
import { simplify } from '../../simplify/simplify.js';
import type { Term } from '../../term/term.js';
import { postOrder } from '../../term/traverse.js';
import { inlineValue } from '../at-values.js';
import { emitText } from '../text.js';
import { buildGraph, type ComputationalGraph } from './model.js';

/**
 * f's computational graph as a report gives it: its nodes printed with the user's names, the
 * adjoints on the edges when the sweep's tape was recorded (grad with --steps or --at) — tidied and
 * named as the derivation prints them — and, at a point, each node's value and gradient as numbers.
 */
export function reportGraph(report: Report, maxNodes?: number): ComputationalGraph {
  const names = report.names;
  // f's own nodes as read; a coefficient as the derivation prints it: simplified, then with the user's names.
  const own = new Set(postOrder([report.f]));
  const print = (term: Term): string => emitText(own.has(term) ? [term] : simplify([term]), { names, share: 'names' }).main[0]!;
  const values = report.at?.nodes;
  return buildGraph(report.f, {
    print,
    names,
    ...(report.tape && report.tape.length > 0 ? { tape: report.tape } : {}),
    ...(values ? { valueAt: (term: Term) => { const v = values.get(term); return v ? inlineValue(v) : undefined; } } : {}),
    ...(maxNodes !== undefined ? { maxNodes } : {}),
  });
}
