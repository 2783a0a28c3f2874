/**
 * The matcalc grammar as a Chevrotain CstParser: pure syntax, no semantics (meaning is added by
 * src/syntax/cst-to-ast.ts). The levels of grammar/precedence.ts map to rules like this:
 *
 *   sum, product       expression     a flat list of operands and explicit operators
 *   negate, juxtapose  juxtaposition  signs, then factors
 *   postfix            factor         bare function names, an atom, then ᵀ ' ^ .^ ⁻¹ ²
 *   atom               atom           names, numbers, (…), f(…), ⟨…, …⟩, ‖…‖ (also inline in factor)
 *
 * Every list is a flat MANY, never left or right recursion, so a sum of 100,000 terms and a chain
 * `log det tr …` are each one rule invocation deep; the AST builder applies precedence with loops.
 * The grammar recurses only through brackets. Chevrotain spends a few dozen stack frames per
 * bracket level, which overflows the default Node stack at about 200 levels before the JIT has
 * warmed up, so src/syntax/parse.ts parses each bracketed atom on its own, innermost first, and
 * hands the parser a `Group` token in its place. The grammar still describes the whole language:
 * without that reduction it parses the same input, recursively.
 *
 * The parser expects the token stream that parse.ts prepares: identifier runs already split into
 * Name / FunctionName / Eye tokens, insignificant line breaks removed.
 *
 * Streams that parse are first offered to src/syntax/direct-cst.ts, which builds this grammar's CST
 * by hand (Chevrotain's recognizer costs more per call than the rest of parsing); Chevrotain parses
 * what it declines, every error included. A change to a rule here is a change there too:
 * test/unit/syntax/direct-cst.test.ts compares the two trees.
 */
import {
  CstParser,
  LLkLookaheadStrategy,
  type IOrAlt,
  type IParserErrorMessageProvider,
  type IToken,
  type OptionalProductionType,
  type Rule,
} from './chevrotain.js';
import {
  Bar,
  Comma,
  Equals,
  Eye,
  FunctionName,
  Group,
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
  StringLiteral,
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

/**
 * Chevrotain's LL(k) lookahead, built on first use. performSelfAnalysis builds a lookahead function
 * for every OR, OPTION and MANY of the grammar (a grammar analysis each), though parsing a short
 * expression reaches only a few of them: a start-up cost of every process. Each function is built
 * by the standard strategy from the same options, the first time its production is reached.
 */
class LazyLookahead extends LLkLookaheadStrategy {
  override buildLookaheadForAlternation(options: {
    prodOccurrence: number;
    rule: Rule;
    maxLookahead: number;
    hasPredicates: boolean;
    dynamicTokensEnabled: boolean;
  }): (orAlts?: IOrAlt<unknown>[]) => number | undefined {
    let built: ((orAlts?: IOrAlt<unknown>[]) => number | undefined) | undefined;
    const build = (): ((orAlts?: IOrAlt<unknown>[]) => number | undefined) => super.buildLookaheadForAlternation(options);
    return function (this: unknown, orAlts?: IOrAlt<unknown>[]) {
      built ??= build();
      return built.call(this, orAlts);
    };
  }

  override buildLookaheadForOptional(options: {
    prodOccurrence: number;
    prodType: OptionalProductionType;
    rule: Rule;
    maxLookahead: number;
    dynamicTokensEnabled: boolean;
  }): () => boolean {
    let built: (() => boolean) | undefined;
    const build = (): (() => boolean) => super.buildLookaheadForOptional(options);
    return function (this: unknown) {
      built ??= build();
      return built.call(this);
    };
  }
}

export class MatrixExprParser extends CstParser {
  /**
   * The brackets entered and not yet closed, innermost last. parse.ts reads it after a failed
   * parse to name the unclosed opener; the juxtaposition gate reads it to tell a closing `‖`.
   */
  openers: IToken[] = [];

  /** validate: run Chevrotain's grammar checks (the tests do; start-up skips them, see tokens.ts). */
  constructor(options: { readonly validate?: boolean } = {}) {
    super(parserTokens, {
      maxLookahead: 3,
      lookaheadStrategy: new LazyLookahead({ maxLookahead: 3 }),
      errorMessageProvider: factualMessages,
      skipValidations: !options.validate,
    });
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
   * the AST builder groups products before sums.
   */
  expression = this.RULE('expression', () => {
    this.SUBRULE(this.juxtaposition);
    this.MANY(() => {
      this.CONSUME(InfixOperator);
      this.SUBRULE2(this.juxtaposition);
    });
  });

  /**
   * The negate and juxtapose levels: (+|-)* factor factor*. The signs cover the whole
   * juxtaposition (`-x^2` is -(x^2), `-ab` is -(ab)). A juxtaposed factor never starts with a sign
   * (`a -b` is a subtraction), and inside a norm a `‖` closes it rather than starting a factor.
   */
  juxtaposition = this.RULE('juxtaposition', () => {
    this.MANY(() => this.CONSUME(SumOperator));
    this.SUBRULE(this.factor);
    this.MANY2({
      GATE: () => this.LA(1).tokenType !== Bar || !this.insideNorm(),
      DEF: () => this.SUBRULE2(this.factor),
    });
  });

  /**
   * A factor is the postfix level, preceded by any bare function names:
   *
   *   (FunctionName (+|-)*)* atom (ᵀ | ' | ⁻¹ | ² | ⁻ᵀ | ^e | .^e)*
   *
   * A function name not followed by `(` applies to the rest of the juxtaposition, from this factor
   * on: `log det X` is log(det(X)), `2 tr AXB` is 2·tr(AXB), `log -x` is log(-x). A function name
   * followed by `(` is a call (an atom), so `exp(x)y` is exp(x)·y. The prefixes and the postfix
   * operators stay flat lists (labelled `prefix`, `prefixSign`, `postfixOperator`); the AST builder
   * groups them, `^` chains to the right. One rule per factor rather than one per level keeps the
   * CST small: a 1 MB expression is hundreds of thousands of factors.
   */
  factor = this.RULE('factor', () => {
    this.MANY3({
      GATE: () => this.LA(2).tokenType !== LParen,
      DEF: () => {
        this.CONSUME2(FunctionName, { LABEL: 'prefix' });
        this.MANY4(() => this.CONSUME(SumOperator, { LABEL: 'prefixSign' }));
      },
    });
    this.OR(this.atoms());
    this.MANY5(() => this.SUBRULE(this.postfixOperator));
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

  /** An exponent, or a bracketed atom parsed on its own: no postfix operators, so `x^2'` is (x^2)'. */
  atom = this.RULE('atom', () => {
    this.OR(this.atoms());
  });

  #atomAlternatives: IOrAlt<unknown>[] | undefined;

  /**
   * The atoms, written inline in factor and atom (a rule of their own would cost stack frames on
   * every level of brackets). The AST builder tells them apart by their tokens: `(` alone is
   * grouping, FunctionName `(` a call (more than one argument parses, so the arity can be
   * reported), `⟨` an inner product, `‖` a norm with an optional subscript (`‖X‖_F`, `‖x‖₁`), and
   * `Group` a bracketed atom that parse.ts has already parsed.
   */
  private atoms(): IOrAlt<unknown>[] {
    return (this.#atomAlternatives ??= [
      { ALT: () => this.CONSUME(Name) },
      { ALT: () => this.CONSUME(NumberLiteral) },
      { ALT: () => this.CONSUME(Eye) },
      { ALT: () => this.CONSUME(PatternVariable) },
      { ALT: () => this.CONSUME(Group) },
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
            // A quoted word (norm(X, 'fro')): the reader says which calls take one.
            this.OR2([{ ALT: () => this.CONSUME(StringLiteral) }, { ALT: () => this.SUBRULE3(this.expression) }]);
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
