import { DOMAIN_CONDITIONS } from '../term/ops.js';
import { opDeclaration, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import { emitText } from './text.js';

/**
 * The notes that state where an answer holds: one per op in the function whose derivative rule needs
 * a condition (term/ops.ts: a simple top singular value or eigenvalue, full rank), naming the node as
 * printed. The evaluator reports points outside the condition, so the check samples inside it.
 */
export function domainNotes(f: Term): string[] {
  const notes: string[] = [];
  for (const node of postOrder([f])) {
    if (node.kind !== 'op') continue;
    const domain = opDeclaration(node.op).domain;
    if (domain === 'all') continue;
    notes.push(`holds where ${DOMAIN_CONDITIONS[domain].replace("its argument", emitText([node.args[0]!], { share: false }).main[0]!)}: ${emitText([node], { share: false }).main[0]!} is differentiable there, and the check samples such points`);
  }
  return notes;
}
