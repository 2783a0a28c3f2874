import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Source, Span } from '../diagnostics/span.js';
import type { Ast } from '../syntax/ast.js';
import { acceptsArity, argumentSignatures, argumentWords, ARITY_LETTER } from '../term/op-arity.js';
import { opDeclaration, signatureFactors, type Signature, type SignatureDim } from '../term/ops.js';
import type { DimTable } from './dims.js';
import type { IShape } from './program-types.js';

/**
 * The shape of an op during inference, from its signature (term/ops.ts): each letter is one
 * dimension class, unified with every argument dimension it stands for, so `softmax(A*x)` makes A·x a
 * column and `softmax(X)` of a matrix is refused at X with what softmax needs. A product in the
 * signature (`m·p`) is a product class of its letters (dims.ts), unified after every plain letter
 * is, so kron_contract_left(G, B) learns p from B before it takes G's rows mp apart.
 */

/** What the shape inference offers this function (inference.ts). */
export interface OpShapeHost {
  readonly source: Source;
  readonly dims: DimTable;
  shapeOf(node: Ast): IShape;
  described(node: Ast): string;
  showDim(i: number): string;
  unifyShapes(a: IShape, b: IShape): boolean;
  at(span: Span): Parameters<typeof diag>[1];
  fail(diagnostic: Diagnostic): never;
}

export function inferOpShape(host: OpShapeHost, node: Extract<Ast, { kind: 'op' }>): IShape {
  const { dims } = host;
  const declaration = opDeclaration(node.op);
  const name = host.source.text.slice(node.fnSpan.start, node.fnSpan.end);
  if (!acceptsArity(node.op, node.args.length)) {
    const n = declaration.args.length;
    host.fail(diag('syntax/wrong-arity', host.at(node.span), name, n === 1 ? 'one argument' : `${n} arguments`, node.args.length));
  }
  if (node.op === 'vstack') return inferStackShape(host, node);
  const letters = new Map<string, number>();
  const letter = (l: string): number => {
    let i = letters.get(l);
    if (i === undefined) letters.set(l, (i = dims.fresh()));
    return i;
  };
  const dimOf = (d: SignatureDim): number => {
    if (d === 1) return dims.constant(1);
    const parts = signatureFactors(d);
    return parts.length === 1 ? letter(d) : dims.product(parts.map(letter));
  };
  const isProduct = (d: SignatureDim) => d !== 1 && signatureFactors(d).length > 1;
  if (declaration.variadic !== undefined) letters.set(ARITY_LETTER, dims.constant(node.args.length));
  const signatures = argumentSignatures(node.op, node.args.length);
  for (const products of [false, true]) {
    signatures.forEach((signature, i) => {
      const arg = node.args[i]!;
      const s = host.shapeOf(arg);
      const axes = [0, 1].filter((j) => isProduct(signature[j]!) === products);
      if (axes.length === 0) return;
      // A row where a column is wanted (softmax(xᵀ)) would unify by making x 1×1: refused instead.
      // (Not in a stack: there a name free to be 1×1, the y of [x; y], is the notes' scalar.)
      const transposed = !products && declaration.variadic === undefined && [0, 1].some((j) => signature[j] === 1 && !dims.isOne(s[j]!) && dims.isOne(s[1 - j]!));
      const wanted: IShape = [axes.includes(0) ? dimOf(signature[0]) : s[0], axes.includes(1) ? dimOf(signature[1]) : s[1]];
      if (transposed || !host.unifyShapes(s, wanted)) {
        const which = signatures.length === 1 ? 'only' : (ORDINALS[i] ?? `#${i + 1}`);
        // A product the other arguments fix says how many rows (columns) it must have: unvec(g, X) of X 2×3 wants 6.
        const advice = products ? `: here it must have ${axes.map((j) => `${host.showDim(wanted[j]!)} ${j === 0 ? 'rows' : 'columns'}`).join(' and ')}` : opAdvice(host, name, signature, arg, s, transposed && node.args.length === 1);
        host.fail(diag('shape/op-argument', host.at(arg.span), name, which, argumentWords(node.op, i), host.described(arg), advice));
      }
      // A row-wise form of a column (each row one entry: softmax_rows(x) = 𝟙, `torch.softmax(x, 1)`)
      // is never what was meant: refused, pointing at the vector function.
      const along = declaration.along;
      if (!products && along !== undefined && dims.isOne(s[along === 'rows' ? 1 : 0]!)) {
        const vector = node.op.replace(/_(rows|cols)$/, '');
        host.fail(diag('shape/op-argument', host.at(arg.span), name, 'only', `a matrix whose ${along} have more than one entry (for the ${vector} of a vector write ${vector}(x))`, host.described(arg)));
      }
    });
  }
  return [dimOf(declaration.result[0]), dimOf(declaration.result[1])];
}

/**
 * [a₁; …; a_k]: blocks of one width stacked top to bottom, p₁ + … + p_k rows (term/ops.ts, vstack).
 * An entry whose rows nothing has fixed yet is a scalar or a row, the notes' [x; y], unless the
 * rest of the expression fixes its rows later ([x; y] under [A, B], or x declared 3×1): its row
 * class is marked to be 1 at the end (DimTable.preferOne, settled by the inference).
 */
function inferStackShape(host: OpShapeHost, node: Extract<Ast, { kind: 'op' }>): IShape {
  const { dims } = host;
  const width = dims.fresh();
  const rows: number[] = [];
  node.args.forEach((arg, i) => {
    const s = host.shapeOf(arg);
    if (!host.unifyShapes(s, [s[0], width])) {
      host.fail(diag('shape/stack-entry', host.at(arg.span), ORDINALS[i] ?? `#${i + 1}`, host.described(arg), host.showDim(width)));
    }
    if (dims.valueOf(s[0]) === undefined && dims.rigidOf(s[0]) === undefined && dims.factorsOf(s[0]) === undefined && dims.addendsOf(s[0]) === undefined) dims.preferOne(s[0]);
    rows.push(s[0]);
  });
  return [dims.sum(rows), width];
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'];

/**
 * What to write instead, for an op that wants a column: `logsumexp(xᵀ)` → `logsumexp(x)` (the
 * transpose dropped); another row → its transpose; a matrix → where the row-wise forms are documented.
 * (`transposed` only for an op of one argument: the advice writes the call with that argument alone.)
 */
function opAdvice(host: OpShapeHost, name: string, signature: Signature, arg: Ast, s: IShape, transposed: boolean): string {
  if (signature[1] !== 1 || signature[0] === 1) return '';
  if (transposed) {
    const column = arg.kind === 'transpose' ? host.source.text.slice(arg.operand.span.start, arg.operand.span.end) : `(${host.source.text.slice(arg.span.start, arg.span.end)})ᵀ`;
    return `: it is a row; write ${name}${wrapped(column) ? column : `(${column})`} for the column of the same entries`;
  }
  if (!host.dims.isOne(s[0]!) && !host.dims.isOne(s[1]!)) {
    return `: ${name} takes a column vector; for each row or each column of a matrix, see the row-wise forms in grammar/README.md`;
  }
  return '';
}

/** Whether text is one parenthesised group, `(A*x)` (not `(a)*(b)`): then it is an argument list as it stands. */
function wrapped(text: string): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    depth += text[i] === '(' ? 1 : text[i] === ')' ? -1 : 0;
    if (depth === 0 && i < text.length - 1) return false;
  }
  return true;
}
