import type { CstNode, IToken } from '../../grammar/chevrotain.js';
import type { DiagnosticId } from '../diagnostics/catalog.js';
import { span, type Source, type Span } from '../diagnostics/span.js';
import type { Ast } from './ast.js';

/**
 * Reading the parser's CST: a node's children by rule or token name, exactly one of them, and a
 * token's span in the source. Separate from the AST builder (cst-to-ast.ts) so the token passes of
 * parse.ts use tokenSpan without importing the builder.
 */

export type Children = Record<string, (CstNode | IToken)[] | undefined>;

/** Every token's image is its exact source text (parse.ts keeps it so), so the end follows from it. */
export function tokenSpan(token: IToken): Span {
  return span(token.startOffset, token.startOffset + token.image.length);
}

export function tokens(ctx: Children, key: string): IToken[] {
  return (ctx[key] as IToken[] | undefined) ?? [];
}

export function nodes(ctx: Children, key: string): CstNode[] {
  return (ctx[key] as CstNode[] | undefined) ?? [];
}

export function only<T>(list: readonly T[], what: string): T {
  const first = list[0];
  if (first === undefined) throw new Error(`CST invariant: missing ${what}`);
  return first;
}

/** The span from a node's first token to its last (none: undefined), read off the tree without building it. */
export function cstSpan(node: CstNode): Span | undefined {
  let first: IToken | undefined;
  let last: IToken | undefined;
  const pending: (CstNode | IToken)[] = [node];
  while (pending.length > 0) {
    const item = pending.pop()!;
    if ('children' in item) {
      for (const list of Object.values(item.children)) pending.push(...(list as (CstNode | IToken)[]));
    } else {
      if (first === undefined || item.startOffset < first.startOffset) first = item;
      if (last === undefined || item.startOffset + item.image.length > last.startOffset + last.image.length) last = item;
    }
  }
  return first === undefined || last === undefined ? undefined : { start: first.startOffset, end: tokenSpan(last).end };
}

/**
 * What the AST builder's helpers outside the visitor class (call-atoms.ts, grouping-checks.ts) need
 * from it: the input being read, how to refuse with a diagnostic, and how to build a subtree.
 */
export interface Visit {
  readonly source: Source;
  fail(error: DiagnosticId, at: Span, ...args: unknown[]): never;
  ast(node: CstNode): Ast;
  postfix(factor: Children): Ast;
}
