import { DOMAIN_CONDITIONS, opDeclaration } from './ops.js';
import type { Term } from './term.js';
import { postOrder } from './traverse.js';

/**
 * The conditions under which the derivative of f holds, one line per op of f defined on less than
 * every input (pinv at full rank): the answer states them, and the check samples where they hold
 * (each op's evaluator reports a point outside its domain, so the sampler draws again).
 */
export function domainNotes(f: Term): string[] {
  const notes = new Map<string, string>();
  for (const node of postOrder([f])) {
    if (node.kind !== 'op') continue;
    const condition = DOMAIN_CONDITIONS[opDeclaration(node.op).domain];
    if (condition !== undefined && !notes.has(node.op)) notes.set(node.op, `${node.op}: the derivative holds where ${condition}`);
  }
  return [...notes.values()];
}
