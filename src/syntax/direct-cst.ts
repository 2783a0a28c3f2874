import { tokenMatcher, type CstNode, type IToken, type TokenType } from '../../grammar/chevrotain.js';
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
} from '../../grammar/tokens.js';

/**
 * The parser's CST for the token streams that parse fine, built without Chevrotain's recognizer
 * (issue 16: on a textbook input its per-rule bookkeeping, lookahead functions and error handling
 * cost more than the rest of parsing). After bracket reduction (brackets.ts) a stream is flat: the
 * whole input has no brackets left, and a bracketed atom has only its own opener and closer, so
 * grammar/parser.ts's rules are decided here by one or two tokens of lookahead, by the same gates.
 *
 * Every node is the one Chevrotain would build: the same rule names, the same children under the
 * same keys (the token type or label a rule consumes by, the subrule's name), in the same order. At
 * anything else — a token no rule expects here, a bracket that was not reduced, input left over —
 * the answer is `undefined`, and parse.ts lets Chevrotain parse the stream, so every syntax error
 * and its message still come from Chevrotain. test/unit/syntax/direct-cst.test.ts compares the two
 * trees on every example and on generated expressions.
 */

type Children = Record<string, (CstNode | IToken)[]>;

/** Thrown inside, caught at the entry: the stream is not one this parser takes. */
const DECLINE = Symbol('decline');

/** The tokens an atom of a flat stream can be, each its own alternative of grammar/parser.ts's atoms. */
const FLAT_ATOMS: readonly TokenType[] = [Name, NumberLiteral, Eye, PatternVariable, Group];

class DirectCst {
  #at = 0;
  /** Inside a norm, a `‖` closes it (grammar/parser.ts's juxtaposition gate). */
  #insideNorm = false;

  constructor(private readonly tokens: readonly IToken[]) {}

  program(): CstNode {
    const node = this.#node('program');
    this.#add(node, 'statement', this.#statement());
    while (this.#matches(0, Separator)) {
      this.#add(node, 'Separator', this.#next());
      this.#add(node, 'statement', this.#statement());
    }
    return this.#finish(node);
  }

  expression(): CstNode {
    return this.#finish(this.#expression());
  }

  /** A bracketed atom parsed on its own (brackets.ts): its opener, a flat expression, its closer. */
  atom(): CstNode {
    const node = this.#node('atom');
    const first = this.#peek(0);
    if (first === LParen) {
      this.#add(node, 'LParen', this.#next());
      this.#add(node, 'expression', this.#expression());
      this.#add(node, 'RParen', this.#expect(RParen));
    } else if (first === FunctionName && this.#peek(1) === LParen) {
      this.#call(node);
    } else if (first === LAngle) {
      this.#add(node, 'LAngle', this.#next());
      this.#add(node, 'expression', this.#expression());
      this.#add(node, 'Comma', this.#expect(Comma));
      this.#add(node, 'expression', this.#expression());
      this.#add(node, 'RAngle', this.#expect(RAngle));
    } else if (first === Bar) {
      this.#add(node, 'Bar', this.#next());
      this.#insideNorm = true;
      this.#add(node, 'expression', this.#expression());
      this.#add(node, 'Bar', this.#expect(Bar));
      this.#insideNorm = false;
      if (this.#peek(0) === Subscript) this.#add(node, 'Subscript', this.#next());
    } else {
      this.#flatAtom(node);
    }
    return this.#finish(node);
  }

  #call(node: CstNode): void {
    this.#add(node, 'FunctionName', this.#next());
    this.#add(node, 'LParen', this.#next());
    this.#add(node, 'expression', this.#expression());
    while (this.#peek(0) === Comma) {
      this.#add(node, 'Comma', this.#next());
      if (this.#peek(0) === StringLiteral) this.#add(node, 'StringLiteral', this.#next());
      else this.#add(node, 'expression', this.#expression());
    }
    this.#add(node, 'RParen', this.#expect(RParen));
  }

  #statement(): CstNode {
    const node = this.#node('statement');
    if (this.#peek(0) === Name && this.#peek(1) === Equals) this.#add(node, 'definition', this.#definition());
    else this.#add(node, 'expression', this.#expression());
    return node;
  }

  #definition(): CstNode {
    const node = this.#node('definition');
    this.#add(node, 'Name', this.#next());
    this.#add(node, 'Equals', this.#next());
    this.#add(node, 'expression', this.#expression());
    return node;
  }

  #expression(): CstNode {
    const node = this.#node('expression');
    this.#add(node, 'juxtaposition', this.#juxtaposition());
    while (this.#matches(0, InfixOperator)) {
      this.#add(node, 'InfixOperator', this.#next());
      this.#add(node, 'juxtaposition', this.#juxtaposition());
    }
    return node;
  }

  #juxtaposition(): CstNode {
    const node = this.#node('juxtaposition');
    while (this.#matches(0, SumOperator)) this.#add(node, 'SumOperator', this.#next());
    this.#add(node, 'factor', this.#factor());
    for (;;) {
      const type = this.#peek(0);
      if (type === Bar && this.#insideNorm) break;
      if (type === FunctionName || (type !== undefined && FLAT_ATOMS.includes(type))) this.#add(node, 'factor', this.#factor());
      else break;
    }
    return node;
  }

  #factor(): CstNode {
    const node = this.#node('factor');
    while (this.#peek(0) === FunctionName && this.#peek(1) !== LParen) {
      this.#add(node, 'prefix', this.#next());
      while (this.#matches(0, SumOperator)) this.#add(node, 'prefixSign', this.#next());
    }
    this.#flatAtom(node);
    for (;;) {
      const type = this.#peek(0);
      if (type === Transpose || type === Superscript || this.#matches(0, PowerOperator)) this.#add(node, 'postfixOperator', this.#postfixOperator());
      else break;
    }
    return node;
  }

  #postfixOperator(): CstNode {
    const node = this.#node('postfixOperator');
    const type = this.#peek(0);
    if (type === Transpose) {
      this.#add(node, 'Transpose', this.#next());
    } else if (type === Superscript) {
      this.#add(node, 'Superscript', this.#next());
    } else {
      this.#add(node, 'PowerOperator', this.#next());
      if (this.#matches(0, SumOperator)) this.#add(node, 'SumOperator', this.#next());
      const atom = this.#node('atom');
      this.#flatAtom(atom);
      this.#add(node, 'atom', atom);
    }
    return node;
  }

  /** Name, number, eye, pattern variable or an already parsed Group; a bracket here was not reduced. */
  #flatAtom(node: CstNode): void {
    const token = this.tokens[this.#at];
    if (token === undefined || !FLAT_ATOMS.includes(token.tokenType)) throw DECLINE;
    this.#add(node, token.tokenType.name, token);
    this.#at++;
  }

  #node(name: string): CstNode {
    return { name, children: {} as Children };
  }

  #add(node: CstNode, key: string, child: CstNode | IToken): void {
    const children = node.children as Children;
    const list = children[key];
    if (list === undefined) children[key] = [child];
    else list.push(child);
  }

  #peek(ahead: number): TokenType | undefined {
    return this.tokens[this.#at + ahead]?.tokenType;
  }

  /** As Chevrotain matches: the token's own type or one of its categories. */
  #matches(ahead: number, type: TokenType): boolean {
    const token = this.tokens[this.#at + ahead];
    return token !== undefined && tokenMatcher(token, type);
  }

  #next(): IToken {
    return this.tokens[this.#at++]!;
  }

  #expect(type: TokenType): IToken {
    if (this.#peek(0) !== type) throw DECLINE;
    return this.#next();
  }

  #finish(node: CstNode): CstNode {
    if (this.#at !== this.tokens.length) throw DECLINE;
    return node;
  }
}

function attempt(tokens: readonly IToken[], entry: (parser: DirectCst) => CstNode): CstNode | undefined {
  try {
    return entry(new DirectCst(tokens));
  } catch (error) {
    if (error === DECLINE) return undefined;
    throw error;
  }
}

/** grammar/parser.ts's `program` of a reduced stream, or undefined: let Chevrotain parse it. */
export function directProgram(tokens: readonly IToken[]): CstNode | undefined {
  return attempt(tokens, (p) => p.program());
}

/** grammar/parser.ts's `expression` of a reduced stream, or undefined: let Chevrotain parse it. */
export function directExpression(tokens: readonly IToken[]): CstNode | undefined {
  return attempt(tokens, (p) => p.expression());
}

/** grammar/parser.ts's `atom` of one bracketed atom (brackets.ts), or undefined: let Chevrotain parse it. */
export function directAtom(tokens: readonly IToken[]): CstNode | undefined {
  return attempt(tokens, (p) => p.atom());
}
