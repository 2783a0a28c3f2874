/**
 * The matcalc grammar as a Chevrotain CstParser: pure syntax, no semantics (meaning is added by
 * src/syntax/cst-to-ast.ts). The levels of grammar/precedence.ts map to rules like this:
 *
 *   sum, product      expression      a flat list of operands and explicit operators
 *   negate, juxtapose juxtaposition   signs, then implicit products (and a bare function last)
 *   postfix           postfix         an atom, then ᵀ ' ^ .^ ⁻¹ ²
 *   atom              atom            names, numbers, (…), f(…), ⟨…, …⟩, ‖…‖ (also inline in postfix)
 *
 * Every list is a flat MANY, never left recursion, so a sum of 100,000 terms is one rule invocation
 * deep; the AST builder applies precedence and builds the left-nested tree with loops. Recursion
 * happens only through brackets and bare function names (`log det X`), whose depth parse.ts checks
 * before parsing, and the fewer rules a bracket passes through, the deeper the input can nest.
 *
 * The parser expects the token stream that src/syntax/parse.ts prepares: identifier runs already
 * split into Name / FunctionName / Eye tokens, insignificant line breaks removed.
 */
import { CstParser, type IOrAlt, type IParserErrorMessageProvider, type IToken } from 'chevrotain';
import {
  Bar,
  Comma,
  Equals,
  Eye,
  FunctionName,
  InfixOperator,
  LAngle,
  LParen,
  Name,
  NumberLiteral,
  parserTokens,
  PatternVariable,
  PowerOperator,
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

  /**
   * The sum and product levels as one flat list, juxtaposition ((+ - * / · ⊙ ⊘ .* ./) juxtaposition)*;
   * the AST builder groups products before sums. One rule instead of one per level keeps the
   * recursion per bracket shallow (see MAX_NESTING_DEPTH in src/syntax/parse.ts).
   */
  expression = this.RULE('expression', () => {
    this.SUBRULE(this.juxtaposition);
    this.MANY(() => {
      this.CONSUME(InfixOperator);
      this.SUBRULE2(this.juxtaposition);
    });
  });

  /**
   * The negate and juxtapose levels: (+|-)* followed by implicit products. The signs cover the whole
   * juxtaposition (`-x^2` is -(x^2), `-ab` is -(ab)); a juxtaposed factor never starts with a sign
   * (`a -b` is a subtraction), and a `‖` inside a norm closes it. A function name without `(` takes
   * the rest of the juxtaposition (`log det X` is log(det(X)), `2 tr AXB` is 2·tr(AXB)), so it can
   * only come last. The call `f(x)` is a postfix and is tried first, so `exp(x)y` is exp(x)·y.
   */
  juxtaposition = this.RULE('juxtaposition', () => {
    this.MANY(() => this.CONSUME(SumOperator));
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            this.SUBRULE(this.postfix);
            this.MANY2({
              GATE: () => this.LA(1).tokenType !== Bar || !this.insideNorm(),
              DEF: () => this.SUBRULE2(this.postfix),
            });
            this.OPTION(() => this.SUBRULE(this.bareFunction));
          },
        },
        { ALT: () => this.SUBRULE2(this.bareFunction) },
      ],
    });
  });

  bareFunction = this.RULE('bareFunction', () => {
    this.CONSUME(FunctionName);
    this.SUBRULE(this.juxtaposition);
  });

  /**
   * An atom followed by postfix operators: atom (ᵀ | ' | ⁻¹ | ² | ^e | .^e)*. The operators stay a
   * flat list; `^` chains are grouped to the right by the AST builder.
   */
  postfix = this.RULE('postfix', () => {
    this.OR(this.atoms());
    this.MANY2(() => this.SUBRULE(this.postfixOperator));
  });

  /** ᵀ, ', ⁻¹, ², ⁻ᵀ, or ^/.^ with an optionally signed atom as exponent (`X^-1`, `x^(p+1)`, `X^T`). */
  postfixOperator = this.RULE('postfixOperator', () => {
    this.OR([
      { ALT: () => this.CONSUME(Transpose) },
      { ALT: () => this.CONSUME(Superscript) },
      {
        ALT: () => {
          this.CONSUME(PowerOperator);
          this.OPTION(() => this.CONSUME(SumOperator));
          this.SUBRULE(this.atom);
        },
      },
    ]);
  });

  /** An exponent: an atom without postfix operators, so `x^2'` is (x^2)' and `x^2y` is (x^2)·y. */
  atom = this.RULE('atom', () => {
    this.OR(this.atoms());
  });

  #atomAlternatives: IOrAlt<unknown>[] | undefined;

  /**
   * The atoms, shared by postfix and atom. They are written inline in those rules rather than as a
   * rule of their own, and so are the bracketed forms, because brackets are where the parser
   * recurses and every rule invocation costs Chevrotain several stack frames. The AST builder tells
   * them apart by their tokens: `(` alone is grouping, FunctionName `(` a call (more than one
   * argument parses, so the arity can be reported), `⟨` an inner product, `‖` a norm with an
   * optional subscript (`‖X‖_F`, `‖x‖₁`).
   */
  private atoms(): IOrAlt<unknown>[] {
    return (this.#atomAlternatives ??= [
      { ALT: () => this.CONSUME(Name) },
      { ALT: () => this.CONSUME(NumberLiteral) },
      { ALT: () => this.CONSUME(Eye) },
      { ALT: () => this.CONSUME(PatternVariable) },
      {
        ALT: () => {
          this.enter(this.CONSUME(LParen));
          this.SUBRULE(this.expression);
          this.CONSUME(RParen);
          this.leave();
        },
      },
      {
        ALT: () => {
          this.CONSUME(FunctionName);
          this.enter(this.CONSUME2(LParen));
          this.SUBRULE2(this.expression);
          this.MANY(() => {
            this.CONSUME(Comma);
            this.SUBRULE3(this.expression);
          });
          this.CONSUME2(RParen);
          this.leave();
        },
      },
      {
        ALT: () => {
          this.enter(this.CONSUME(LAngle));
          this.SUBRULE4(this.expression);
          this.CONSUME2(Comma);
          this.SUBRULE5(this.expression);
          this.CONSUME(RAngle);
          this.leave();
        },
      },
      {
        ALT: () => {
          this.enter(this.CONSUME(Bar));
          this.SUBRULE6(this.expression);
          this.CONSUME2(Bar);
          this.leave();
          this.OPTION(() => this.CONSUME(Subscript));
        },
      },
    ]);
  }
}

/** The one parser instance: Chevrotain's self-analysis is costly, so it runs once per process. */
export const matrixExprParser = new MatrixExprParser();
