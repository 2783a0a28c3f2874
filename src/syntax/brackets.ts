import type { IRecognitionException, IToken } from '../../grammar/chevrotain.js';
import { matrixExprParser } from '../../grammar/parser.js';
import { Bar, FunctionName, Group, LAngle, LBracket, LParen, RAngle, RBracket, RParen, Subscript } from '../../grammar/tokens.js';
import { directAtom } from './direct-cst.js';
import { stackFromTokens } from './stack-literal.js';
import { DiagnosticError } from '../diagnostics/diagnostic.js';
import { span, type Source } from '../diagnostics/span.js';
import type { Ast } from './ast.js';
import { atomFromCst } from './cst-to-ast.js';
import type { Problems } from './problems.js';
import { endsOperand, synthesize } from './token-passes.js';
import { syntaxDiagnostic } from './syntax-errors.js';

/**
 * Token pass 4 of parse.ts: every bracketed atom is parsed on its own, innermost first, and replaced
 * by one Group token carrying its AST, so neither the parser nor the AST builder recurses through
 * brackets. Separate: the only pass that runs the parser itself.
 */

/**
 * Parses every bracketed atom on its own, innermost first: `(…)`, `f(…)`, `⟨…, …⟩`, `‖…‖` with
 * its subscript, and the stacks `[f; g]`. Each is replaced by a Group token whose payload is its AST, so each parse sees
 * only one level of brackets. The pairing of `‖` is the parser's own rule (see
 * keepSignificantSeparators). Brackets that do not pair up are left in place for the final parse,
 * which reports them as the whole-input parse would.
 */
export function reduceBrackets(tokens: readonly IToken[], source: Source, end: number, syntax: Problems, semantic: Problems): { tokens: IToken[]; unclosed: IToken[] } {
  const out: IToken[] = [];
  const open: { readonly opener: IToken; readonly start: number }[] = [];
  let previous: IToken | undefined;
  let previousClosedNorm = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const type = token.tokenType;
    const top = open[open.length - 1];
    let closedNorm = false;
    let closes = false;
    if (type === Bar && top?.opener.tokenType === Bar && previous !== undefined && endsOperand(previous, previousClosedNorm, false)) {
      closes = true;
      closedNorm = true;
    } else if ((type === RParen && top?.opener.tokenType === LParen) || (type === RAngle && top?.opener.tokenType === LAngle)) {
      closes = true;
    } else if (type === RBracket && top?.opener.tokenType === LBracket) {
      // A stack [f; g]: its entries are parsed one by one (stack-literal.ts).
      out.push(token);
      open.pop();
      const group = out.splice(top.start);
      out.push(synthesize(Group, group[0]!.image, group[0]!.startOffset, stackFromTokens(group, source, end, syntax, semantic)));
      previous = token;
      previousClosedNorm = false;
      continue;
    }
    if (closes) {
      out.push(token);
      // A norm's subscript belongs to it: ‖X‖_F is one atom.
      if (closedNorm && tokens[i + 1]?.tokenType === Subscript) out.push(tokens[++i]!);
      open.pop();
      out.push(parseGroup(out.splice(top!.start), source, end, syntax, semantic));
    } else {
      if (type === LParen || type === LAngle || type === Bar || type === LBracket) {
        // f( … ) is one atom with its function name.
        const callee = type === LParen && out[out.length - 1]?.tokenType === FunctionName;
        open.push({ opener: token, start: callee ? out.length - 1 : out.length });
      }
      out.push(token);
    }
    previous = tokens[i];
    previousClosedNorm = closedNorm;
  }
  return { tokens: out, unclosed: open.map((o) => o.opener) };
}

const UNPARSED: Ast = { kind: 'name', name: '', span: span(0, 0) };

function parseGroup(group: IToken[], source: Source, end: number, syntax: Problems, semantic: Problems): IToken {
  const first = group[0]!;
  let ast = UNPARSED; // stands in after a problem, so the rest of the input is still checked
  // The common case without Chevrotain (direct-cst.ts); anything else, errors included, is Chevrotain's.
  let cst = directAtom(group);
  let error: IRecognitionException | undefined;
  if (cst === undefined) {
    const parser = matrixExprParser;
    parser.load(group);
    cst = parser.atom();
    error = parser.errors[0];
  }
  if (error !== undefined) {
    syntax.add(syntaxDiagnostic(error, source, end, matrixExprParser.openers));
  } else {
    try {
      ast = atomFromCst(cst, source, end);
    } catch (problem) {
      if (!(problem instanceof DiagnosticError)) throw problem;
      semantic.add(problem.diagnostic);
    }
  }
  return synthesize(Group, first.image, first.startOffset, ast);
}
