import { astChildren, type Ast } from '../syntax/ast.js';

/*
 * The shape stage's view of an AST node's operands: the step of pass 1's iterative post-order walk
 * (inference.ts), and the names an operand reads. Apart from the inference state, which they do not touch.
 */

/** Pushes a node's operands to be visited, the first on top; false for a leaf. */
export function pushOperands(node: Ast, pending: Ast[], expanded: boolean[]): boolean {
  switch (node.kind) {
    case 'name':
    case 'pattern':
    case 'number':
    case 'eye':
      return false;
    case 'negate':
    case 'transpose':
      pending.push(node.operand);
      expanded.push(false);
      return true;
    case 'call':
      pending.push(node.arg);
      expanded.push(false);
      return true;
    case 'inner':
    case 'binary':
      pending.push(node.right, node.left);
      expanded.push(false, false);
      return true;
    case 'op':
      for (let i = node.args.length - 1; i >= 0; i--) {
        pending.push(node.args[i]!);
        expanded.push(false);
      }
      return node.args.length > 0;
  }
}

/** The names an expression reads. */
export function namesIn(node: Ast): string[] {
  if (node.kind === 'name') return [node.name];
  return astChildren(node).flatMap(namesIn);
}
