import { expect } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { renderDiagnostic } from '../../../src/diagnostics/render.js';
import type { Source } from '../../../src/diagnostics/span.js';
import type { Ast, Program } from '../../../src/syntax/ast.js';
import { astToSexpr, programToSexpr } from '../../../src/syntax/debug.js';
import { parseProgram, type ParseOptions } from '../../../src/syntax/parse.js';

export function source(text: string): Source {
  return { name: '<input>', text };
}

/** Parses or fails the test with the rendered diagnostic. */
export function program(text: string, options?: ParseOptions): Program {
  const result = parseProgram(source(text), options);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse:\n${result.diagnostics.map((d) => renderDiagnostic(d)).join('\n')}`);
  return result.value;
}

export function body(text: string, options?: ParseOptions): Ast {
  const parsed = program(text, options);
  expect(parsed.definitions).toEqual([]);
  return parsed.body;
}

/** The body's s-expression; definitions are not allowed (use programSexpr). */
export function sexpr(text: string, options?: ParseOptions): string {
  return astToSexpr(body(text, options));
}

export function programSexpr(text: string, options?: ParseOptions): string {
  return programToSexpr(program(text, options));
}

/** The one diagnostic of a failed parse. */
export function failure(text: string, options?: ParseOptions): Diagnostic {
  const result = parseProgram(source(text), options);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to fail, got ${programToSexpr(result.value)}`);
  expect(result.diagnostics).toHaveLength(1);
  const diagnostic = result.diagnostics[0]!;
  expect(diagnostic.source?.text).toBe(text);
  expect(diagnostic.span).toBeDefined();
  return diagnostic;
}

export function rendered(text: string, options?: ParseOptions): string {
  return renderDiagnostic(failure(text, options));
}

/** The source text each name node covers, in order: checks that pieces of a run keep their own spans. */
export function nameSpans(ast: Ast, text: string): string[] {
  const found: string[] = [];
  const stack: Ast[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop()!;
    switch (node.kind) {
      case 'name':
        found.push(`${node.name}@${text.slice(node.span.start, node.span.end)}`);
        break;
      case 'binary':
      case 'inner':
        stack.push(node.right, node.left);
        break;
      case 'negate':
      case 'transpose':
        stack.push(node.operand);
        break;
      case 'call':
        stack.push(node.arg);
        break;
      default:
        break;
    }
  }
  return found;
}
