/**
 * S-expressions of the surface AST, for tests and debugging: `aᵀexp(Xb)` prints as
 * `(* (T a) (exp (* X b)))`. Spans are left out, so two spellings of one tree print the same.
 *
 *   name x → x         number → 2, -1, 0.5      pattern ?A → ?A      eye → eye
 *   binary → (op l r)   negate → (neg a)         transpose → (T a)
 *   call → (fn a)       inner → (inner a b)
 *
 * Iterative (an explicit stack), because a parsed sum of 100,000 terms is 100,000 levels deep.
 */
import type { Ast, Program } from './ast.js';

export function astToSexpr(root: Ast): string {
  const out: string[] = [];
  // Work items: a node to print, or a literal string to emit.
  const stack: (Ast | string)[] = [root];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    switch (item.kind) {
      case 'name':
        out.push(item.name);
        break;
      case 'pattern':
        out.push(`?${item.name}`);
        break;
      case 'number':
        out.push(String(item.value));
        break;
      case 'eye':
        out.push('eye');
        break;
      case 'binary':
        out.push(`(${item.op} `);
        stack.push(')', item.right, ' ', item.left);
        break;
      case 'negate':
        out.push('(neg ');
        stack.push(')', item.operand);
        break;
      case 'transpose':
        out.push('(T ');
        stack.push(')', item.operand);
        break;
      case 'call':
        out.push(`(${item.fn} `);
        stack.push(')', item.arg);
        break;
      case 'inner':
        out.push('(inner ');
        stack.push(')', item.right, ' ', item.left);
        break;
      case 'op':
        out.push(`(${item.op} `);
        stack.push(')', ...item.args.flatMap((a, i) => (i === 0 ? [a] : [' ', a])).reverse());
        break;
    }
  }
  return out.join('');
}

/** `Y = (sigmoid (* W X)); (inner Y (* M Y))` */
export function programToSexpr(program: Program): string {
  return [...program.definitions.map((d) => `${d.name} = ${astToSexpr(d.value)}`), astToSexpr(program.body)].join('; ');
}
