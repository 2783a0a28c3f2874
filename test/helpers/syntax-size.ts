import { asciiProgram, emitAscii } from '../../src/emit/ascii.js';
import { inferShapes } from '../../src/shape/infer.js';
import { parseProgram } from '../../src/syntax/parse.js';
import { astChildren, type Ast } from '../../src/syntax/ast.js';

/**
 * The size of a printed answer by structure (test/helpers/printed-size.ts counts the symbols of the
 * text instead): the number of nodes of its syntax tree when read back (the ASCII
 * form matcalc prints reads back as the same expression), each shared definition (`T1 = …;`)
 * counted once and each use of its name as one node — what a reader has to read. A textbook answer
 * written in the same notation is measured the same way, so the two compare.
 */
export function syntaxSize(text: string): number {
  const program = parseProgram({ name: 'answer', text });
  if (!program.ok) throw new Error(`cannot read back '${text}': ${program.diagnostics[0]!.message}`);
  const { definitions, body } = program.value;
  return definitions.reduce((total, d) => total + 1 + nodes(d.value), nodes(body));
}

function nodes(root: Ast): number {
  let count = 0;
  const stack: Ast[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    count++;
    stack.push(...astChildren(node));
  }
  return count;
}

/**
 * A textbook answer printed by matcalc's ASCII printer (read, shaped, printed with its definitions
 * as names), so that it is measured in the same notation as matcalc's own answer: X⁻ᵀ and inv(X)'
 * are then the same text, and only the structure differs. `scalars`: the problem's scalar variables.
 */
export function asPrinted(text: string, scalars: readonly string[] = []): string {
  const source = { name: 'textbook', text };
  const program = parseProgram(source);
  if (!program.ok) throw new Error(`cannot read '${text}': ${program.diagnostics[0]!.message}`);
  // The problem's scalar variables (c in 2Xᵀ(Xw − y) + 2cw) are scalars here too.
  const typed = inferShapes(program.value, source, { dims: new Map(scalars.map((name) => [name, [1, 1] as const])) });
  if (!typed.ok) throw new Error(`cannot shape '${text}': ${typed.diagnostics[0]!.message}`);
  return asciiProgram(emitAscii([typed.value.term], { names: typed.value.definitionNames }));
}
