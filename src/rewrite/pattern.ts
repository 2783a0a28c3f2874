import type { Ast } from '../syntax/ast.js';
import { ELEMENTWISE_FNS, type TermKind } from '../term/term.js';
import type { Span } from '../diagnostics/span.js';

/** A named guard applied to the term bound to a pattern variable: `when square(?A)`. Declared here, where patterns are compiled with their guards (rule.ts re-exports it), so the two modules do not import each other. */
export interface Guard {
  readonly predicate: string;
  readonly variable: string;
  readonly span: Span;
}

/**
 * The left side of a local simplification rule (rules/simplify.rules, `local`), compiled from its
 * syntax to the term kinds it matches: `inv(?A')` → inv(transpose(?A)). It is plain data, so the
 * rules snapshot stores it (dist/rules-snapshot.json) and start-up compiles nothing.
 *
 * Matching is src/rewrite/local-rules.ts's. The syntax is read as written, not through the shape stage: the shape stage would read `inv(?c)`
 * of a scalar as a power and `matrix(1)` as a product, while the simplifier asks about the node it is
 * building, inv(c) or 𝟙. A pattern variable matches any term (the same term at each occurrence); a
 * number matches that number; `eye` and `matrix(1)`/`vector(1)` match any identity and any 𝟙.
 */
export type TermPattern =
  | { readonly type: 'variable'; readonly name: string }
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'constant'; readonly kind: 'eye' | 'ones' }
  | { readonly type: 'node'; readonly head: PatternHead; readonly operands: readonly TermPattern[] };

/** A node's kind; for an element-wise function or an op its name, for a matrix power its exponent. */
export interface PatternHead {
  readonly kind: TermKind;
  readonly fn?: string;
  readonly exponent?: number;
}

const BINARY_KINDS: Readonly<Record<string, TermKind>> = { '+': 'add', '*': 'mul', '.*': 'hmul', './': 'hdiv', '.^': 'epow' };
const CALL_KINDS: Readonly<Record<string, TermKind>> = {
  tr: 'trace',
  det: 'det',
  logdet: 'logdet',
  sum: 'sum',
  norm1: 'norm1',
  norm2: 'norm2',
  inv: 'inv',
};

/** Compiles a rule's left side; a string says why it cannot be matched node by node. */
export function compilePattern(ast: Ast, guards: readonly Guard[]): TermPattern | string {
  const vectors = new Set(guards.filter((g) => g.predicate === 'vector').map((g) => g.variable));
  const compiled = compile(ast, vectors);
  if (typeof compiled !== 'string' && compiled.type !== 'node') return 'the left side must be an operator applied to patterns';
  return compiled;
}

function compile(ast: Ast, vectors: ReadonlySet<string>): TermPattern | string {
  switch (ast.kind) {
    case 'pattern':
      return { type: 'variable', name: ast.name };
    case 'number':
      return { type: 'number', value: ast.value };
    case 'negate':
      return ast.operand.kind === 'number' ? { type: 'number', value: -ast.operand.value } : `-(…) is not a pattern node`;
    case 'eye':
      return { type: 'constant', kind: 'eye' };
    case 'transpose':
      return node({ kind: 'transpose' }, [ast.operand], vectors);
    case 'inner':
      return node({ kind: 'inner' }, [ast.left, ast.right], vectors);
    case 'binary': {
      if (ast.op === '^') {
        if (ast.right.kind !== 'number' || !Number.isInteger(ast.right.value) || ast.right.value < 2) return 'a matrix power in a pattern has a literal exponent ≥ 2';
        return node({ kind: 'mpow', exponent: ast.right.value }, [ast.left], vectors);
      }
      const kind = BINARY_KINDS[ast.op];
      return kind ? node({ kind }, [ast.left, ast.right], vectors) : `'${ast.op}' is not a pattern node`;
    }
    case 'call': {
      if ((ast.fn === 'matrix' || ast.fn === 'vector') && ast.arg.kind === 'number' && ast.arg.value === 1) return { type: 'constant', kind: 'ones' };
      if (ast.fn === 'diag') return node({ kind: isColumn(ast.arg, vectors) ? 'diagm' : 'diag' }, [ast.arg], vectors);
      const kind = CALL_KINDS[ast.fn];
      if (kind) return node({ kind }, [ast.arg], vectors);
      if ((ELEMENTWISE_FNS as readonly string[]).includes(ast.fn)) return node({ kind: 'fn', fn: ast.fn }, [ast.arg], vectors);
      return `${ast.fn}(…) is not a pattern node`;
    }
    case 'op':
      return node({ kind: 'op', fn: ast.op }, ast.args, vectors);
    case 'name':
      return `the name ${ast.name} is not a pattern`;
  }
}

function node(head: PatternHead, operands: readonly Ast[], vectors: ReadonlySet<string>): TermPattern | string {
  const compiled: TermPattern[] = [];
  for (const operand of operands) {
    const c = compile(operand, vectors);
    if (typeof c === 'string') return c;
    compiled.push(c);
  }
  return { type: 'node', head, operands: compiled };
}

/** Whether diag(arg) is Diag of a column vector (a diagm node) rather than the diagonal of a square matrix. */
function isColumn(arg: Ast, vectors: ReadonlySet<string>): boolean {
  if (arg.kind === 'pattern') return vectors.has(arg.name);
  if (arg.kind === 'call') return arg.fn === 'vector' || (arg.fn === 'diag' && !isColumn(arg.arg, vectors));
  return false;
}
