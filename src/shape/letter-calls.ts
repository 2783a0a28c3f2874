import { diag, fail, ok, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { Source, Span } from '../diagnostics/span.js';
import { astChildren, type Ast, type Program } from '../syntax/ast.js';
import { parseProgram, type ParseOptions } from '../syntax/parse.js';
import { inferShapes } from './infer.js';
import type { ShapeOptions, TypedProgram } from './program-types.js';

/**
 * An undeclared one-letter name written directly before a bracket, `f(WX)`, reads as the product
 * f·(WX), as `x(y + z)` always has (grammar/README.md, "Abstract functions"). Where that reading fails
 * on shapes, the letter is taken as an abstract scalar function (as if declared with --function), but
 * only if every such letter then types, and none of them is also used as a variable elsewhere: `f(Y) + f`
 * could be either, and is refused with both readings. The note says which letters were read so.
 */

export interface LetterCallReading {
  readonly program: Program;
  readonly typed: TypedProgram;
  readonly note: string;
}

/**
 * The program typed: as written, or, where that fails on shapes, with an undeclared `f(WX)` read as
 * a function (readLetterCalls; `note` then says so). The product reading's error stands otherwise.
 */
export function typeProgram(program: Program, source: Source, parse: ParseOptions, shapes: ShapeOptions): Result<{ program: Program; typed: TypedProgram; note?: string }> {
  const typed = inferShapes(program, source, shapes);
  if (typed.ok) return ok({ program, typed: typed.value });
  const letters = readLetterCalls(program, source, parse, shapes, typed.diagnostics);
  return letters ?? typed;
}

/** The undeclared, undefined one-letter names written directly before `(`, with their first span. */
export function letterCalls(program: Program, source: Source, known: ReadonlySet<string>): Map<string, Span> {
  const defined = new Set(program.definitions.map((d) => d.name));
  const found = new Map<string, Span>();
  const pending: Ast[] = [...program.definitions.map((d) => d.value), program.body];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.kind === 'name' && [...node.name].length === 1 && /\p{L}/u.test(node.name) && source.text[node.span.end] === '(') {
      if (!known.has(node.name) && !defined.has(node.name) && !found.has(node.name)) found.set(node.name, node.span);
    }
    pending.push(...astChildren(node));
  }
  return found;
}

/**
 * The reading with the letters of letterCalls as functions, when the product reading failed on
 * shapes (`failure`); `undefined` when there is no such letter or the function reading fails too
 * (the product reading's error then stands).
 */
export function readLetterCalls(
  program: Program,
  source: Source,
  parse: ParseOptions,
  shapes: ShapeOptions,
  failure: readonly Diagnostic[],
): Result<LetterCallReading> | undefined {
  const calls = letterCalls(program, source, parse.knownNames ?? new Set());
  if (calls.size === 0) return undefined;
  const functions = new Map(parse.functions ?? []);
  for (const name of calls.keys()) if (!functions.has(name)) functions.set(name, 'scalar');
  const reparsed = parseProgram(source, { ...parse, functions });
  if (!reparsed.ok) return undefined;
  const typed = inferShapes(reparsed.value, source, shapes);
  if (!typed.ok) return undefined;
  for (const [name, at] of calls) {
    if (!typed.value.variables.has(name)) continue;
    return fail(diag('syntax/ambiguous-call', { source, span: at }, name, failure[0]?.message ?? 'the shapes do not fit'));
  }
  const names = [...calls.keys()];
  const listed = names.map((n) => `${n}(…)`).join(', ');
  return ok({
    program: reparsed.value,
    typed: typed.value,
    note: `${listed} ${names.length === 1 ? 'is' : 'are'} read as an abstract function (as with --function ${names.join(',')}): as a product the shapes do not fit`,
  });
}
