import { opDeclaration, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import { latexName } from './latex.js';

/**
 * The caption of an answer that reads some part column by column, columns(B, V) (what it means, in
 * text and LaTeX), or undefined when the answer has none.
 */
export function columnsCaption(term: Term): { readonly text: string; readonly latex: string } | undefined {
  const bound = [...new Set(postOrder([term]).flatMap((t) => (t.kind === 'op' && opDeclaration(t.op).binds !== undefined ? [t.args[1]!] : [])))];
  if (bound.length === 0) return undefined;
  const names = bound.map((v) => (v.kind === 'var' ? v.name : '?'));
  const v = names.join(', ');
  return {
    text: `columns(B, ${v}): the matrix whose column j is B at ${v} = eⱼ (B is linear in ${v})`,
    latex: `\\operatorname{columns}(B, ${names.map(latexName).join(', ')})\\text{: the matrix whose column } j \\text{ is } B \\text{ at } ${names.map(latexName).join(', ')} = e_j`,
  };
}
