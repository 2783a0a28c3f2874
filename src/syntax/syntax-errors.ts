import { EOF, tokenMatcher, type IRecognitionException, type IToken } from '../../grammar/chevrotain.js';
import { matrixExprParser } from '../../grammar/parser.js';
import { Newline, PowerOperator, SumOperator } from '../../grammar/tokens.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { positionOf } from '../diagnostics/render.js';
import { span, type Source, type Span } from '../diagnostics/span.js';
import { tokenSpan } from './cst-to-ast.js';

/**
 * The parser's errors as friendly diagnostics: an unclosed bracket named with its opener, an
 * unexpected token with what was expected there. Separate: the wording of failures, apart from
 * the passes that find them.
 */

const CLOSERS: Record<string, string> = { '(': ')', '⟨': '⟩', '〈': '〉', '<': '>', '‖': '‖', '||': '||', '{': '}', '\\langle': '\\rangle', '\\|': '\\|', '\\lVert': '\\rVert', '|': '|' };

const EXPECTED: Record<string, string> = {
  RParen: "')'",
  RAngle: "'⟩'",
  Bar: "'‖'",
  Comma: "','",
  Equals: "'='",
  Name: 'a name',
  Separator: "';' or a line break",
};

export function unclosed(opener: IToken, source: Source, at: Span): Diagnostic {
  const closer = CLOSERS[opener.image] ?? opener.image;
  return diag('syntax/unclosed', { source, span: at }, closer, opener.image, positionOf(source.text, opener.startOffset));
}

function describeFound(token: IToken): string {
  if (token.tokenType === EOF) return 'end of input';
  if (token.tokenType === Newline) return 'line break';
  return `'${token.image}'`;
}

/**
 * One friendly diagnostic for Chevrotain's first error. The parser's messages carry only facts
 * (grammar/parser.ts): the expected token's name for a mismatch, the rule name otherwise.
 */
export function syntaxDiagnostic(error: IRecognitionException, source: Source, end: number, openers: readonly IToken[]): Diagnostic {
  const token = error.token;
  const atEnd = token.tokenType === EOF;
  const at = atEnd ? span(end, end) : tokenSpan(token);
  const found = describeFound(token);
  const where = { source, span: at };
  switch (error.name) {
    case 'MismatchedTokenException': {
      const expected = error.message;
      const opener = openers[openers.length - 1];
      if ((expected === 'RParen' || expected === 'RAngle' || expected === 'Bar') && opener !== undefined) return unclosed(opener, source, at);
      return diag('syntax/unexpected-token', where, found, EXPECTED[expected] ?? expected);
    }
    case 'NotAllInputParsedException':
      return diag('syntax/trailing-input', where, found);
    // error.name is Chevrotain's string, not a union of ours (NoViableAltException, EarlyExitException, …):
    // whatever else it reports is an unexpected token.
    default: {
      const previous = (error as IRecognitionException & { previousToken?: IToken }).previousToken;
      const afterPower = previous !== undefined && (tokenMatcher(previous, PowerOperator) || (tokenMatcher(previous, SumOperator) && isAfterPower(previous)));
      return diag('syntax/unexpected-token', where, found, afterPower ? 'an exponent' : 'an expression');
    }
  }
}

/** Whether a sign token directly follows ^ or .^ (the parser keeps the input, so look it up). */
function isAfterPower(sign: IToken): boolean {
  const tokens = matrixExprParser.input;
  const index = tokens.indexOf(sign);
  const before = index > 0 ? tokens[index - 1] : undefined;
  return before !== undefined && tokenMatcher(before, PowerOperator);
}
