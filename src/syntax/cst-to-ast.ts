/**
 * CST → AST: the one place the grammar's tree gets meaning. Spelling differences disappear here
 * (`⊙` and `.*` are both '.*', `X⁻¹` and `X^-1` are both X ^ -1, `X^T` is a transpose), and every
 * node gets the span of the text it came from.
 *
 * Operators arrive as flat lists (grammar/parser.ts) and are folded into trees with loops, never
 * recursion, so a sum of 100,000 terms costs no stack. Bracketed atoms arrive already built, as
 * Group tokens from parse.ts, so the visitor never recurses through brackets either.
 *
 * Token payloads, set by parse.ts: the canonical name (a string) for Name and PatternVariable, the
 * FunctionName for FunctionName, the value for NumberLiteral and Superscript, the Ast for Group.
 */
import { tokenMatcher, type CstNode, type IToken } from '../../grammar/chevrotain.js';
import { matrixExprParser } from '../../grammar/parser.js';
import { Caret, DotSlash, LeftDivide, Minus, Otimes, Plus, Slash, SumOperator } from '../../grammar/tokens.js';
import { diag, DiagnosticError } from '../diagnostics/diagnostic.js';
import { span, type Source, type Span } from '../diagnostics/span.js';
import type { Ast, BinaryOp, Definition, FunctionWord, Program } from './ast.js';
import { applyPrefixes, functionArity, binary, binaryOp, foldNegativeNumber, isDefinition, isNumeral, leftDivide, UNUSED } from './ast-nodes.js';
import { readCall, readInner, readNorm } from './call-atoms.js';
import { nodes, only, tokens, tokenSpan, type Children, type Visit } from './cst-reading.js';
import { ambiguousFraction, ambiguousScope, checkExponentEnd } from './grouping-checks.js';

/*
 * This module is the visitor: the grammar rules' methods (Chevrotain calls one method per rule on
 * one class) and the precedence they decide. Reading the CST is in cst-reading.ts, the node makers
 * in ast-nodes.ts, the atoms with arguments (calls, ⟨·,·⟩, ‖·‖) in call-atoms.ts and the refused
 * groupings in grouping-checks.ts; those reach back into the visitor only through `Visit`.
 */

export { tokenSpan } from './cst-reading.js';

const BaseVisitor = matrixExprParser.getBaseCstVisitorConstructor<void, unknown>();

/** Visits a CST produced by the shared parser. One instance per process; `begin` sets the input. */
class AstBuilder extends BaseVisitor {
  #source: Source = { name: '', text: '' };
  #end = 0;
  /** The visitor as call-atoms.ts and grouping-checks.ts see it; `source` follows `begin`. */
  readonly #visit: Visit = (() => {
    const builder = this;
    return {
      get source() {
        return builder.#source;
      },
      fail: (error, at, ...args) => this.#fail(error, at, ...args),
      ast: (node) => this.#ast(node),
      postfix: (factor) => this.#postfix(factor),
    };
  })();

  constructor() {
    super();
    this.validateVisitor();
  }

  begin(source: Source, end: number): void {
    this.#source = source;
    this.#end = end;
  }

  #fail(error: Parameters<typeof diag>[0], at: Span, ...args: unknown[]): never {
    throw new DiagnosticError((diag as (...a: unknown[]) => ReturnType<typeof diag>)(error, { source: this.#source, span: at }, ...args));
  }

  /** A bare function word takes one operand (`tr X`); one of more arguments must be called with them. */
  #checkPrefixArity(prefix: IToken): void {
    const arity = functionArity(prefix.payload as FunctionWord);
    if (arity !== 1) this.#fail('syntax/wrong-arity', tokenSpan(prefix), prefix.image, `${arity} arguments`, 1);
  }

  #ast(node: CstNode): Ast {
    return this.visit(node) as Ast;
  }

  program(ctx: Children): Program {
    const statements = nodes(ctx, 'statement').map((s) => this.visit(s) as Ast | Definition);
    const definitions: Definition[] = [];
    const seen = new Map<string, Span>();
    for (let i = 0; i < statements.length; i++) {
      const statement = statements[i]!;
      const last = i === statements.length - 1;
      if (!isDefinition(statement)) {
        if (!last) this.#fail('syntax/not-a-definition', statement.span);
        return { definitions, body: statement };
      }
      const first = seen.get(statement.name);
      if (first !== undefined) {
        throw new DiagnosticError(
          diag('syntax/redefinition', {
            source: this.#source,
            span: statement.nameSpan,
            notes: [{ message: `'${statement.name.length > 40 ? `${statement.name.slice(0, 40)}…` : statement.name}' is first defined here`, span: first }],
          }, statement.name),
        );
      }
      seen.set(statement.name, statement.nameSpan);
      definitions.push(statement);
    }
    this.#fail('syntax/unexpected-token', span(this.#end, this.#end), 'end of input', 'an expression after the definitions');
  }

  statement(ctx: Children): Ast | Definition {
    const definition = ctx['definition'] as CstNode[] | undefined;
    return definition ? (this.visit(only(definition, 'definition')) as Definition) : this.#ast(only(nodes(ctx, 'expression'), 'expression'));
  }

  definition(ctx: Children): Definition {
    const name = only(tokens(ctx, 'Name'), 'name');
    const value = this.#ast(only(nodes(ctx, 'expression'), 'expression'));
    const nameSpan = tokenSpan(name);
    return { name: name.payload as string, nameSpan, value, span: span(nameSpan.start, value.span.end) };
  }

  /**
   * A flat list of operands and explicit operators; products group before sums, both to the left.
   * Precedence climbing with two levels, as a loop: `pending` is the product being built, `sum`
   * the sum of everything before the last + or -.
   */
  expression(ctx: Children): Ast {
    const operands = nodes(ctx, 'juxtaposition');
    const operators = tokens(ctx, 'InfixOperator');
    let sum: { left: Ast; operator: IToken } | undefined;
    let pending = this.#ast(only(operands, 'operand'));
    for (let i = 1; i < operands.length; i++) {
      const operator = operators[i - 1]!;
      const division = operator.tokenType === Slash || operator.tokenType === DotSlash;
      const operand = division ? UNUSED : this.#ast(operands[i]!);
      if (tokenMatcher(operator, SumOperator)) {
        sum = { left: sum === undefined ? pending : this.#sum(sum, pending), operator };
        pending = operand;
      } else if (operator.tokenType === LeftDivide) {
        pending = leftDivide(pending, operand, tokenSpan(operator));
      } else if (operator.tokenType === Otimes) {
        pending = { kind: 'op', op: 'kron', args: [pending, operand], span: span(pending.span.start, operand.span.end), fnSpan: tokenSpan(operator) };
      } else if (division) {
        pending = this.#divide(binaryOp(operator), pending, operands[i]!, tokenSpan(operator));
      } else {
        pending = binary(binaryOp(operator), pending, operand, tokenSpan(operator));
      }
    }
    return sum === undefined ? pending : this.#sum(sum, pending);
  }

  /**
   * What a division divides by (grammar/README.md, "Fractions"): after `/`, a number is the whole
   * denominator (`1/2 xᵀx` is ½·xᵀx, `λ/2 ‖w‖²` is (λ/2)‖w‖², `1/2π` is 1/(2π)); otherwise the
   * denominator runs to the first space (`1/(2σ²) ‖x − μ‖²`, while `xᵀAx/xᵀx` and `xᵀAx / xᵀx`
   * divide by all of xᵀx). The factors after the denominator multiply the quotient. A signed
   * denominator, or one that starts a bare function (`a / log det X`), is taken whole.
   */
  #divide(op: BinaryOp, left: Ast, operand: CstNode, opSpan: Span): Ast {
    const ctx = operand.children as Children;
    const factors = nodes(ctx, 'factor');
    if (factors.length < 2 || tokens(ctx, 'SumOperator').length > 0) return binary(op, left, this.#ast(operand), opSpan);
    const built = factors.map((f) => ({ prefixed: (f.children as Children)['prefix'] !== undefined, ast: this.#postfix(f.children as Children) }));
    const spaceBefore = (k: number): boolean => /\s/.test(this.#source.text.slice(built[k - 1]!.ast.span.end, built[k]!.ast.span.start));
    let cut = 0;
    while (cut < built.length && !built[cut]!.prefixed && built[cut]!.ast.kind === 'number' && (cut === 0 || !spaceBefore(cut))) cut++;
    // `1/2xᵀx` is ½xᵀx, but `xᵀAx/2xᵀx` may well mean xᵀAx/(2xᵀx): with a numerator that is not a
    // number, a number denominator glued to what follows reads two ways. A space decides.
    if (cut > 0 && cut < built.length && !spaceBefore(cut) && !isNumeral(left)) ambiguousFraction(this.#visit, left, built.slice(0, cut), built.slice(cut));
    if (cut === 0) {
      cut = 1;
      while (cut < built.length && !spaceBefore(cut)) cut++;
    }
    if (cut === built.length || built.slice(0, cut).some((b) => b.prefixed)) return binary(op, left, this.#ast(operand), opSpan);
    let denominator = built[0]!.ast;
    for (const b of built.slice(1, cut)) denominator = binary('*', denominator, b.ast, span(denominator.span.end, b.ast.span.start));
    const quotient = binary(op, left, denominator, opSpan);
    const rest = this.#juxtapose(factors.slice(cut), []);
    return binary('*', quotient, rest, span(denominator.span.end, rest.span.start));
  }

  #sum(sum: { left: Ast; operator: IToken }, right: Ast): Ast {
    return binary(binaryOp(sum.operator), sum.left, right, tokenSpan(sum.operator));
  }

  /**
   * Signs, then implicit products left to right. A factor that starts with bare function names
   * (`log det X`) opens a scope that takes the rest of the juxtaposition: `a log b c` is
   * a·log(b·c). Built with an explicit stack of open scopes, so a long chain costs no recursion.
   */
  juxtaposition(ctx: Children): Ast {
    return this.#juxtapose(nodes(ctx, 'factor'), tokens(ctx, 'SumOperator'));
  }

  #juxtapose(factors: readonly CstNode[], signs: readonly IToken[]): Ast {
    const scopes: Scope[] = [{ prefixes: [], product: undefined }];
    for (let k = 0; k < factors.length; k++) {
      const children = factors[k]!.children as Children;
      checkExponentEnd(this.#visit, children, factors[k + 1]);
      if (children['prefix'] !== undefined) {
        const open = scopes[scopes.length - 1]!;
        // `sin x cos x`: sin(x)·cos(x) to most readers, sin(x·cos x) by the scope rule. Refused.
        if (scopes.length > 1 && open.product !== undefined) ambiguousScope(this.#visit, open, tokens(children, 'prefix')[0]!);
        const prefixes = [...tokens(children, 'prefix'), ...tokens(children, 'prefixSign')];
        for (const prefix of tokens(children, 'prefix')) this.#checkPrefixArity(prefix);
        scopes.push({ prefixes: prefixes.sort((a, b) => a.startOffset - b.startOffset), product: undefined });
      }
      times(scopes[scopes.length - 1]!, this.#postfix(children));
    }
    while (scopes.length > 1) {
      const scope = scopes.pop()!;
      times(scopes[scopes.length - 1]!, applyPrefixes(scope.prefixes, scope.product!));
    }
    const result = scopes[0]!.product;
    if (result === undefined) throw new Error('CST invariant: empty juxtaposition');
    return applyPrefixes(signs, result);
  }

  /** Factors are read by juxtaposition(), which groups their bare function names across factors. */
  factor(): never {
    throw new Error('CST invariant: factors are read by juxtaposition()');
  }

  /**
   * The postfix operators apply left to right, except that a run of `^`/`.^` groups to the right
   * (`2^x^2` is 2^(x^2)), and a sign before an exponent covers the rest of the run, as in Python
   * (`a^-b^c` is a^(-(b^c))).
   */
  #postfix(ctx: Children): Ast {
    let result = this.#atom(ctx);
    const operatorNodes = ctx['postfixOperator'] as CstNode[] | undefined;
    if (operatorNodes === undefined) return result;
    const operators = operatorNodes.map((n) => n.children as Children);
    let i = 0;
    while (i < operators.length) {
      const op = operators[i]!;
      const transpose = tokens(op, 'Transpose')[0];
      const superscript = tokens(op, 'Superscript')[0];
      if (transpose !== undefined) {
        result = { kind: 'transpose', operand: result, span: span(result.span.start, tokenSpan(transpose).end) };
        i++;
      } else if (superscript !== undefined) {
        result = this.#superscript(result, superscript);
        i++;
      } else {
        let end = i;
        while (end + 1 < operators.length && tokens(operators[end + 1]!, 'PowerOperator').length > 0) end++;
        result = this.#powerChain(result, operators.slice(i, end + 1));
        i = end + 1;
      }
    }
    return result;
  }

  #superscript(base: Ast, token: IToken): Ast {
    const at = tokenSpan(token);
    if (token.image === '⁻ᵀ') {
      const inverse = binary('^', base, { kind: 'number', value: -1, span: at }, at);
      return { kind: 'transpose', operand: inverse, span: inverse.span };
    }
    const value = token.payload as number;
    return binary('^', base, { kind: 'number', value, span: at }, at);
  }

  #powerChain(base: Ast, chain: Children[]): Ast {
    // Built from the right: the exponent of link m is link m's operand raised to everything after it.
    let exponent: Ast | 'T' = this.#exponentOperand(chain[chain.length - 1]!);
    for (let m = chain.length - 2; m >= 0; m--) {
      const left = this.#ast(only(nodes(chain[m]!, 'atom'), 'exponent'));
      exponent = this.#signed(chain[m]!, this.#power(chain[m + 1]!, left, exponent));
    }
    return this.#power(chain[0]!, base, exponent);
  }

  /** The last exponent of a chain; a lone `T` (X^T, X^-T) means transpose, not a variable. */
  #exponentOperand(link: Children): Ast | 'T' {
    const atom = only(nodes(link, 'atom'), 'exponent');
    const name = tokens(atom.children as Children, 'Name')[0];
    // The payload, not the image: LaTeX's `^\\top` and `^{\\mathsf{T}}` arrive as the name T (dialects/latex.ts).
    if (name !== undefined && name.payload === 'T' && tokens(link, 'PowerOperator')[0]!.tokenType === Caret) return 'T';
    return this.#signed(link, this.#ast(atom));
  }

  #signed(link: Children, operand: Ast): Ast {
    const sign = tokens(link, 'SumOperator')[0];
    if (sign === undefined || sign.tokenType === Plus) return operand;
    return foldNegativeNumber({ kind: 'negate', operand, span: span(sign.startOffset, operand.span.end) });
  }

  /** `base op exponent` where op is link's operator; `X^T` is a transpose and `X^-T` the transpose of X^-1. */
  #power(link: Children, base: Ast, exponent: Ast | 'T'): Ast {
    const operator = only(tokens(link, 'PowerOperator'), 'operator');
    const opSpan = tokenSpan(operator);
    if (exponent !== 'T') return binary(binaryOp(operator), base, foldNegativeNumber(exponent), opSpan);
    const tEnd = tokenSpan(only(tokens(only(nodes(link, 'atom'), 'exponent').children as Children, 'Name'), 'T')).end;
    const sign = tokens(link, 'SumOperator')[0];
    if (sign !== undefined && sign.tokenType === Minus) {
      const minusOne: Ast = { kind: 'number', value: -1, span: span(sign.startOffset, tEnd) };
      const inverse = binary('^', base, minusOne, opSpan);
      return { kind: 'transpose', operand: inverse, span: span(base.span.start, tEnd) };
    }
    return { kind: 'transpose', operand: base, span: span(base.span.start, tEnd) };
  }

  postfixOperator(): never {
    throw new Error('CST invariant: postfix operators are read by postfix()');
  }

  atom(ctx: Children): Ast {
    return this.#atom(ctx);
  }

  /** The atom alternatives are written inline in postfix and atom; their tokens tell them apart. */
  #atom(ctx: Children): Ast {
    const name = tokens(ctx, 'Name')[0];
    if (name) return { kind: 'name', name: name.payload as string, span: tokenSpan(name) };
    const group = tokens(ctx, 'Group')[0];
    if (group) return group.payload as Ast;
    if (ctx['FunctionName']) return readCall(this.#visit, ctx);
    if (ctx['LParen']) return this.#parenthesized(ctx);
    if (ctx['LAngle']) return readInner(this.#visit, ctx);
    if (ctx['Bar']) return readNorm(this.#visit, ctx);
    const number = tokens(ctx, 'NumberLiteral')[0];
    if (number) return { kind: 'number', value: number.payload as number, span: tokenSpan(number) };
    const eye = tokens(ctx, 'Eye')[0];
    if (eye && (eye.payload === 'ones' || eye.payload === 'zeros' || eye.payload === 'ones-vector')) {
      // 𝟙, 1ᵀ, \mathbf{1}: vector(1), the ones vector; `np.ones(…)`: matrix(1); `np.zeros(…)`: matrix(0)
      // (sizes from the context).
      const at = tokenSpan(eye);
      const fn = eye.payload === 'ones-vector' ? 'vector' : 'matrix';
      return { kind: 'call', fn, arg: { kind: 'number', value: eye.payload === 'zeros' ? 0 : 1, span: at }, span: at, fnSpan: at };
    }
    if (eye) return { kind: 'eye', span: tokenSpan(eye) };
    const pattern = only(tokens(ctx, 'PatternVariable'), 'atom');
    return { kind: 'pattern', name: pattern.payload as string, span: tokenSpan(pattern) };
  }

  /** Brackets leave no node; the expression's span grows to cover them, so errors can underline `(A+B)`. */
  #parenthesized(ctx: Children): Ast {
    const inner = this.#ast(only(nodes(ctx, 'expression'), 'expression'));
    const at = span(only(tokens(ctx, 'LParen'), '(').startOffset, tokenSpan(only(tokens(ctx, 'RParen'), ')')).end);
    return { ...inner, span: at };
  }

}

/** An open scope of #juxtapose: the bare function names and signs that take the rest of the product. */
interface Scope {
  readonly prefixes: readonly IToken[]; // function names and signs, in source order
  product: Ast | undefined;
}

/** Multiplies a scope's product by the next factor, to the left. */
function times(scope: Scope, right: Ast): void {
  const left = scope.product;
  scope.product = left === undefined ? right : binary('*', left, right, span(left.span.end, right.span.start));
}

const builder = new AstBuilder();

export function programFromCst(cst: CstNode, source: Source, end: number): Program {
  builder.begin(source, end);
  return builder.visit(cst) as Program;
}

/** A bracketed atom parsed on its own (see Group in grammar/tokens.ts). */
export function atomFromCst(cst: CstNode, source: Source, end: number): Ast {
  builder.begin(source, end);
  return builder.visit(cst) as Ast;
}

export function expressionFromCst(cst: CstNode, source: Source, end: number): Ast {
  builder.begin(source, end);
  return builder.visit(cst) as Ast;
}
