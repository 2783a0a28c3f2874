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
import { Caret, DotSlash, LeftDivide, Minus, NumberLiteral, Otimes, Plus, Slash, SumOperator } from '../../grammar/tokens.js';
import { diag, DiagnosticError } from '../diagnostics/diagnostic.js';
import { span, type Source, type Span } from '../diagnostics/span.js';
import { isOpName, opDeclaration } from '../term/ops.js';
import type { AbstractWord, Ast, BinaryOp, Definition, FunctionName, FunctionWord, Program } from './ast.js';
import { alongAxis, sumAlongAxis } from './along-axis.js';
import { normOrder } from './norm-order.js';
import { applyFunction, applyPrefixes, functionArity, binary, binaryOp, foldNegativeNumber, isDefinition, isNumeral, leftDivide, UNUSED } from './ast-nodes.js';
import { cstSpan, nodes, only, tokens, tokenSpan, type Children } from './cst-reading.js';

/*
 * This module is the visitor; reading the CST is in cst-reading.ts, the node makers in ast-nodes.ts.
 * It stays over 400 lines: Chevrotain's visitor calls one method per grammar rule on one class, so
 * the rules' methods (and the private state they share) cannot be spread over modules.
 */

export { tokenSpan } from './cst-reading.js';

const BaseVisitor = matrixExprParser.getBaseCstVisitorConstructor<void, unknown>();

/** Visits a CST produced by the shared parser. One instance per process; `begin` sets the input. */
class AstBuilder extends BaseVisitor {
  #source: Source = { name: '', text: '' };
  #end = 0;

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
    if (cut > 0 && cut < built.length && !spaceBefore(cut) && !isNumeral(left)) this.#ambiguousFraction(left, built.slice(0, cut), built.slice(cut));
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

  #ambiguousFraction(left: Ast, denominator: readonly { ast: Ast }[], rest: readonly { ast: Ast }[]): never {
    const text = (from: number, to: number): string => this.#source.text.slice(from, to);
    const num = text(left.span.start, left.span.end);
    const den = text(denominator[0]!.ast.span.start, denominator[denominator.length - 1]!.ast.span.end);
    const after = text(rest[0]!.ast.span.start, rest[rest.length - 1]!.ast.span.end);
    const readings = `(${num}/${den})${after} or ${num}/(${den}${after})`;
    const at = span(left.span.start, rest[rest.length - 1]!.ast.span.end);
    this.#fail('syntax/ambiguous-grouping', at, text(at.start, at.end), readings, `write ${num}/${den} ${after} (with a space) or the brackets of the reading you mean`);
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
    interface Scope {
      readonly prefixes: readonly IToken[]; // function names and signs, in source order
      product: Ast | undefined;
    }
    const scopes: Scope[] = [{ prefixes: [], product: undefined }];
    const times = (scope: Scope, right: Ast): void => {
      const left = scope.product;
      scope.product = left === undefined ? right : binary('*', left, right, span(left.span.end, right.span.start));
    };
    for (const [k, factor] of factors.entries()) {
      const children = factor.children as Children;
      this.#checkExponentEnd(children, factors[k + 1]);
      if (children['prefix'] !== undefined) {
        const open = scopes[scopes.length - 1]!;
        // `sin x cos x`: sin(x)·cos(x) to most readers, sin(x·cos x) by the scope rule. Refused.
        if (scopes.length > 1 && open.product !== undefined) this.#ambiguousScope(open, tokens(children, 'prefix')[0]!);
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

  #ambiguousScope(open: { readonly prefixes: readonly IToken[] }, inner: IToken): never {
    const outer = open.prefixes.find((p) => p.tokenType !== Plus && p.tokenType !== Minus) ?? inner;
    const at = span(outer.startOffset, tokenSpan(inner).end);
    const [f, g] = [outer.image, inner.image];
    this.#fail('syntax/ambiguous-grouping', at, this.#source.text.slice(at.start, at.end) + ' …', `${f}(…)·${g}(…) or ${f}(… ${g}(…))`, `'${f}' without brackets takes the rest of the product, '${g}' included; write ${f}(…) ${g}(…) for the product or ${f}(… ${g}(…)) for one inside the other`);
  }

  /**
   * `a^bc`, `e^-xᵀx`, `e^-x²`: an exponent without brackets is one atom, so what is glued to a
   * name exponent (another factor, a transpose, a superscript) is outside the exponent — but many
   * readers put it inside. Refused with both bracketings; a space (`a^b c`) or brackets
   * (`e^(-x²)`) decide. `X^T…` (the transpose), number exponents (`x^2y` is (x²)·y, as matcalc
   * prints it) and bracketed exponents are never ambiguous.
   */
  #checkExponentEnd(factor: Children, next: CstNode | undefined): void {
    const links = (factor['postfixOperator'] as CstNode[] | undefined)?.map((n) => n.children as Children) ?? [];
    for (let k = 0; k < links.length; k++) {
      const after = links[k + 1];
      const glued = after === undefined ? this.#startOf(next) : tokens(after, 'Transpose')[0] ?? tokens(after, 'Superscript')[0];
      if (glued === undefined) continue;
      const exponent = this.#bareExponent(links[k]!);
      if (exponent === undefined || glued.startOffset !== exponent.end) continue;
      // In LaTeX a superscript without braces is one token, so a command after it is outside: `a^b\log a`.
      if (this.#source.text[glued.startOffset] === '\\') continue;
      // A number exponent ends at the number: X^-1' is (X⁻¹)ᵀ, and x^2y is (x²)·y as matcalc prints it (s^0.5a).
      if (exponent.number) continue;
      const gluedEnd = after === undefined ? this.#postfix(next!.children as Children).span.end : tokenSpan(glued).end;
      const text = this.#source.text;
      const base = text.slice(this.#startOf({ children: factor } as CstNode)!.startOffset, exponent.opStart);
      const power = text.slice(exponent.opStart, exponent.end);
      const rest = text.slice(exponent.end, gluedEnd);
      const exponentText = text.slice(exponent.opEnd, exponent.end);
      const readings = `(${base}${power})${rest} or ${base}${text.slice(exponent.opStart, exponent.opEnd)}(${exponentText}${rest})`;
      this.#fail('syntax/ambiguous-grouping', span(exponent.opStart, gluedEnd), base + power + rest, readings, `an exponent without brackets is one atom; write ${readings} to say which`);
    }
  }

  /** The exponent of a power link when it is a bare name or number (not `T`), with the operator's offsets. */
  #bareExponent(link: Children): { opStart: number; opEnd: number; end: number; number: boolean } | undefined {
    const operator = tokens(link, 'PowerOperator')[0];
    const atom = nodes(link, 'atom')[0];
    if (operator === undefined || atom === undefined) return undefined;
    const children = atom.children as Children;
    const token = tokens(children, 'Name')[0] ?? tokens(children, 'NumberLiteral')[0];
    // `T` by its reading, not its text: LaTeX's `X^\top` reads as the exponent T too.
    if (token === undefined || (token.payload === 'T' && tokens(children, 'Name').length > 0)) return undefined;
    return { opStart: operator.startOffset, opEnd: tokenSpan(operator).end, end: tokenSpan(token).end, number: token.tokenType === NumberLiteral && /^[0-9.]/.test(token.image) };
  }

  /** The first token of a factor (its first bare function or sign, else its atom). */
  #startOf(factor: CstNode | undefined): IToken | undefined {
    if (factor === undefined) return undefined;
    const children = factor.children as Children;
    const candidates = [...tokens(children, 'prefix'), ...tokens(children, 'prefixSign')];
    for (const key of ['Name', 'NumberLiteral', 'Eye', 'PatternVariable', 'Group', 'LParen', 'FunctionName', 'LAngle', 'Bar']) candidates.push(...tokens(children, key));
    return candidates.sort((a, b) => a.startOffset - b.startOffset)[0];
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
    if (ctx['FunctionName']) return this.#call(ctx);
    if (ctx['LParen']) return this.#parenthesized(ctx);
    if (ctx['LAngle']) return this.#inner(ctx);
    if (ctx['Bar']) return this.#norm(ctx);
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

  #call(ctx: Children): Ast {
    const fn = only(tokens(ctx, 'FunctionName'), 'function');
    const fnSpan = tokenSpan(fn);
    const at = span(fnSpan.start, tokenSpan(only(tokens(ctx, 'RParen'), ')')).end);
    const word = fn.payload as FunctionWord | AbstractWord;
    const expressions = nodes(ctx, 'expression');
    if (word === 'sum' && expressions.length === 2) return this.#sumAlongAxis(fn.image, expressions, at, fnSpan);
    const strings = tokens(ctx, 'StringLiteral');
    // MATLAB's and NumPy's norm(X, p): the order picks the function (norm-order.ts).
    if (word === 'specnorm' && /(^|\.)(matrix_)?norm$/.test(fn.image) && expressions.length + strings.length === 2) return this.#normWithOrder(fn.image, expressions, strings[0], at, fnSpan);
    if (strings.length > 0) this.#fail('syntax/unsupported-notation', tokenSpan(strings[0]!), `the quoted ${strings[0]!.image} in ${fn.image}(…)`, ": only norm takes a quoted order (norm(X, 'fro'))");
    const args = expressions.map((a) => this.#ast(a));
    // An abstract function is written with one argument; its op's first is the name (ast-nodes.ts).
    const arity = typeof word === 'object' ? 1 : functionArity(word);
    if (args.length !== arity) this.#fail('syntax/wrong-arity', at, fn.image, arity === 1 ? 'one argument' : `${arity} arguments`, args.length);
    return applyFunction(word, args, at, fnSpan);
  }

  /** `norm(X, p)`: the order, a number, a name (Inf) or a quoted word, read by norm-order.ts. */
  #normWithOrder(image: string, args: readonly CstNode[], quoted: IToken | undefined, at: Span, fnSpan: Span): Ast {
    // The order's text, not its tree: `Inf` is no value matcalc reads, NumPy's `ord=1` no expression.
    const orderSpan = quoted !== undefined ? tokenSpan(quoted) : cstSpan(args[1]!)!;
    const reading = normOrder(this.#source.text.slice(orderSpan.start, orderSpan.end));
    if ('refused' in reading) this.#fail('syntax/unsupported-notation', orderSpan, `${image}(·, ${this.#source.text.slice(orderSpan.start, orderSpan.end)})`, reading.refused);
    return reading.read(this.#ast(args[0]!), at, fnSpan);
  }

  /** `sum(X, k)`: the row or column sums where the axis has one meaning (along-axis.ts), else refused. */
  #sumAlongAxis(image: string, args: readonly CstNode[], at: Span, fnSpan: Span): Ast {
    const axis = this.#ast(args[1]!);
    if (axis.kind !== 'number' || !Number.isInteger(axis.value)) {
      this.#fail('syntax/unsupported-notation', axis.span, `${image}(X, k) with an axis k that is not a literal 0, 1 or 2`, ': write sum_rows(X) for the row sums (X𝟙) or sum_cols(X) for the column sums (𝟙ᵀX)');
    }
    const reading = sumAlongAxis(axis.value);
    if (typeof reading !== 'string') this.#fail('syntax/ambiguous-axis', axis.span, reading.refused);
    return alongAxis(reading, this.#ast(args[0]!), at, fnSpan);
  }

  #inner(ctx: Children): Ast {
    const [left, right] = nodes(ctx, 'expression').map((n) => this.#ast(n));
    const at = span(only(tokens(ctx, 'LAngle'), '⟨').startOffset, tokenSpan(only(tokens(ctx, 'RAngle'), '⟩')).end);
    return { kind: 'inner', left: left!, right: right!, span: at };
  }

  /**
   * ‖x‖ and ‖X‖_F are norm2 (Euclidean; Frobenius for a matrix); ‖x‖₁ is norm1; ‖X‖₂ is the spectral
   * norm (the operator 2-norm, which for a vector is the Euclidean norm: the term builder makes it
   * norm2 there) and ‖X‖_* the nuclear norm.
   */
  #norm(ctx: Children): Ast {
    const [open, close] = tokens(ctx, 'Bar');
    const arg = this.#ast(only(nodes(ctx, 'expression'), 'expression'));
    const subscript = tokens(ctx, 'Subscript')[0];
    let fn: FunctionName = 'norm2';
    const whole = span(open!.startOffset, tokenSpan(subscript ?? close!).end);
    if (subscript !== undefined) {
      // A LaTeX subscript `_{2}` carries its reading in the payload (dialects/latex.ts).
      const which = typeof subscript.payload === 'string' ? subscript.payload : subscript.image.replace(/^_/, '');
      if (which === '2' || which === '₂') return { kind: 'op', op: 'specnorm', args: [arg], span: whole, fnSpan: tokenSpan(open!) };
      if (which === '*') return { kind: 'op', op: 'nucnorm', args: [arg], span: whole, fnSpan: tokenSpan(open!) };
      if (which === '1' || which === '₁') fn = 'norm1';
      else if (which !== 'F') {
        this.#fail('syntax/unexpected-token', tokenSpan(subscript), `'${subscript.image}'`, 'a norm subscript _1, _2, _F or _*');
      }
    }
    return { kind: 'call', fn, arg, span: whole, fnSpan: tokenSpan(open!) };
  }
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
