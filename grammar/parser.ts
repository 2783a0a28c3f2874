/**
 * The matcalc grammar as a Chevrotain CstParser: pure syntax, no semantics (meaning is added by
 * src/syntax/cst-to-ast.ts). The rules nest in the order of grammar/precedence.ts, lowest first:
 *
 *   expression (sum) > product > unary (negate) > juxtaposition > factor > postfix > primary (atom)
 *
 * Every binary level is a flat MANY list, never left recursion, so a sum of 100,000 terms is one
 * rule invocation deep; the left-nested tree is built iteratively by the AST builder. Recursion
 * happens only through brackets and bare function names (`log det X`), whose depth parse.ts checks
 * before parsing.
 *
 * The parser expects the token stream that src/syntax/parse.ts prepares: identifier runs already
 * split into Name / FunctionName / Eye tokens, insignificant line breaks removed.
 */
import { CstParser, type IParserErrorMessageProvider, type IToken } from 'chevrotain';
import {
  Bar,
  Comma,
  Equals,
  Eye,
  FunctionName,
  LAngle,
  LParen,
  Name,
  NumberLiteral,
  parserTokens,
  PatternVariable,
  PowerOperator,
  ProductOperator,
  RAngle,
  RParen,
  Separator,
  Subscript,
  SumOperator,
  Superscript,
  Transpose,
} from './tokens.js';

/**
 * Chevrotain's error messages are replaced by the bare facts parse.ts needs to build a friendly
 * diagnostic: for a mismatched token the expected token type's name, otherwise the rule name.
 */
const factualMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => expected.name,
  buildNotAllInputParsedMessage: ({ ruleName }) => ruleName,
  buildNoViableAltMessage: ({ ruleName }) => ruleName,
  buildEarlyExitMessage: ({ ruleName }) => ruleName,
};

export class MatrixExprParser extends CstParser {
  /**
   * The brackets entered and not yet closed, innermost last. parse.ts reads it after a failed
   * parse to name the unclosed opener; the juxtaposition gate reads it to tell a closing `‖`.
   */
  openers: IToken[] = [];

  constructor() {
    super(parserTokens, { maxLookahead: 3, errorMessageProvider: factualMessages });
    this.performSelfAnalysis();
  }

  /** Prepares for a new input; clears the bracket stack a failed parse may have left behind. */
  load(tokens: IToken[]): void {
    this.openers = [];
    this.input = tokens;
  }

  /** Inside a norm, a `‖` is its closing bar, never the start of a juxtaposed norm. */
  private insideNorm(): boolean {
    const top = this.openers[this.openers.length - 1];
    return top !== undefined && top.tokenType === Bar;
  }

  private enter(token: IToken): void {
    this.ACTION(() => this.openers.push(token));
  }

  private leave(): void {
    this.ACTION(() => this.openers.pop());
  }

  /** statement (Separator statement)* — parse.ts has already dropped empty statements. */
  program = this.RULE('program', () => {
    this.SUBRULE(this.statement);
    this.MANY(() => {
      this.CONSUME(Separator);
      this.SUBRULE2(this.statement);
    });
  });

  /** Whether definitions come first is checked by the AST builder, which can say so plainly. */
  statement = this.RULE('statement', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.definition) }, { ALT: () => this.SUBRULE(this.expression) }]);
  });

  definition = this.RULE('definition', () => {
    this.CONSUME(Name);
    this.CONSUME(Equals);
    this.SUBRULE(this.expression);
  });

  /** The sum level: product ((+|-) product)* */
  expression = this.RULE('expression', () => {
    this.SUBRULE(this.product);
    this.MANY(() => {
      this.CONSUME(SumOperator);
      this.SUBRULE2(this.product);
    });
  });

  /** Explicit products: unary ((* / · × ⊙ ⊘ .* ./) unary)* */
  product = this.RULE('product', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.CONSUME(ProductOperator);
      this.SUBRULE2(this.unary);
    });
  });

  /** The negate level: (+|-)* juxtaposition. `-x^2` is -(x^2). */
  unary = this.RULE('unary', () => {
    this.MANY(() => this.CONSUME(SumOperator));
    this.SUBRULE(this.juxtaposition);
  });

  /**
   * Implicit products: factor factor*. A factor never starts with + or - (`a -b` is a
   * subtraction), and a `‖` inside a norm closes it.
   */
  juxtaposition = this.RULE('juxtaposition', () => {
    this.SUBRULE(this.factor);
    this.MANY({
      GATE: () => this.LA(1).tokenType !== Bar || !this.insideNorm(),
      DEF: () => this.SUBRULE2(this.factor),
    });
  });

  /**
   * A postfix expression, or a function name without `(` applied to the rest of the juxtaposition
   * (`log det X` is log(det(X)), `tr AXB` is tr(AXB)). The call `f(x)` is tried first, so a
   * function name followed by `(` takes only the parenthesised argument.
   */
  factor = this.RULE('factor', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [{ ALT: () => this.SUBRULE(this.postfix) }, { ALT: () => this.SUBRULE(this.bareFunction) }],
    });
  });

  bareFunction = this.RULE('bareFunction', () => {
    this.CONSUME(FunctionName);
    this.SUBRULE(this.juxtaposition);
  });

  /** primary postfixOperator* — the operators stay a flat list; `^` chains are grouped to the right by the AST builder. */
  postfix = this.RULE('postfix', () => {
    this.SUBRULE(this.primary);
    this.MANY(() => this.SUBRULE(this.postfixOperator));
  });

  /** ᵀ, ', ⁻¹, ², ⁻ᵀ, or ^/.^ with an optionally signed primary exponent (`X^-1`, `x^(p+1)`, `X^T`). */
  postfixOperator = this.RULE('postfixOperator', () => {
    this.OR([
      { ALT: () => this.CONSUME(Transpose) },
      { ALT: () => this.CONSUME(Superscript) },
      {
        ALT: () => {
          this.CONSUME(PowerOperator);
          this.OPTION(() => this.CONSUME(SumOperator));
          this.SUBRULE(this.primary);
        },
      },
    ]);
  });

  primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(Name) },
      { ALT: () => this.CONSUME(NumberLiteral) },
      { ALT: () => this.CONSUME(Eye) },
      { ALT: () => this.CONSUME(PatternVariable) },
      { ALT: () => this.SUBRULE(this.parenthesized) },
      { ALT: () => this.SUBRULE(this.call) },
      { ALT: () => this.SUBRULE(this.inner) },
      { ALT: () => this.SUBRULE(this.norm) },
    ]);
  });

  parenthesized = this.RULE('parenthesized', () => {
    this.enter(this.CONSUME(LParen));
    this.SUBRULE(this.expression);
    this.CONSUME(RParen);
    this.leave();
  });

  /** f(x). More than one argument parses, so the AST builder can report the arity. */
  call = this.RULE('call', () => {
    this.CONSUME(FunctionName);
    this.enter(this.CONSUME(LParen));
    this.SUBRULE(this.expression);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.expression);
    });
    this.CONSUME(RParen);
    this.leave();
  });

  /** ⟨A, B⟩ */
  inner = this.RULE('inner', () => {
    this.enter(this.CONSUME(LAngle));
    this.SUBRULE(this.expression);
    this.CONSUME(Comma);
    this.SUBRULE2(this.expression);
    this.CONSUME(RAngle);
    this.leave();
  });

  /** ‖x‖, ‖X‖_F, ‖x‖₁ */
  norm = this.RULE('norm', () => {
    this.enter(this.CONSUME(Bar));
    this.SUBRULE(this.expression);
    this.CONSUME2(Bar);
    this.leave();
    this.OPTION(() => this.CONSUME(Subscript));
  });
}

/** The one parser instance: Chevrotain's self-analysis is costly, so it runs once per process. */
export const matrixExprParser = new MatrixExprParser();
