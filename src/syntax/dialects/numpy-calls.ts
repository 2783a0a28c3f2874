import type { IToken } from '../../../grammar/chevrotain.js';
import { Comma, FunctionName, LBracket, LParen, NumberLiteral, RBracket, RParen, Semicolon } from '../../../grammar/tokens.js';
import { normOrder, normOrderText } from '../norm-order.js';
import { covering, end, retyped, zeroWidth } from './edit.js';
import { constantValue, FLAT_NORM_ORDERS, type ConstantArgument, type Template, type Translation } from './numpy-spellings.js';
import { axisWordOrRefuse, type MethodHost } from './numpy-methods.js';
import { isKeepDims, AXIS_CALLS, axisOf } from './numpy-axes.js';

/*
 * What a Python call becomes when its closing parenthesis is read (numpy.ts): a norm with its
 * order, a row or column form chosen by an axis, `np.maximum(x, 0)` as relu(x), a template such as
 * `np.outer(a, b)`. Apart from the reader because each rewrite works on the finished call alone —
 * its tokens in the output and the indices of its commas — never on the reader's other state.
 */

/** A call whose ')' is not read yet. */
export interface OpenCall {
  readonly at: number; // index in out of the first token of the call (its name, or the '(')
  readonly translation: Translation | undefined;
  readonly name: string;
  readonly nameToken: IToken | undefined;
  readonly commas: number[]; // indices in out
  readonly walrus?: string;
  /** `x.pow(2)`: one more ')' closes the group opened before the operand. */
  readonly closesOperand: boolean;
  /** torch's unvec (numpy-reshape.ts): a ')' and a transpose follow the call's ')'. */
  readonly transposeBack?: true;
}

/**
 * `np.linalg.norm(X, 2)`, `torch.norm(x, p=1)`: the call reads as MATLAB's norm with its order as one
 * token, which the reader applies (../norm-order.ts: a matrix's 1-norm refused there, by its shape).
 * `torch.linalg.vector_norm` flattens its argument: its order picks a function here (FLAT_NORM_ORDERS).
 */
export function readNormOrder(host: MethodHost, call: OpenCall): void {
  const [, order] = callArguments(host.out, call);
  const tokens = host.out.slice(order![0], order![1]);
  const source = host.context.source;
  const text = tokens.length === 0 ? '' : source.text.slice(tokens[0]!.startOffset, end(tokens[tokens.length - 1]!));
  if (normOrderText(text) === '') return; // an order refused on its own (np.inf)
  const name = host.out[call.at]!;
  const isFlat = call.name === 'torch.linalg.vector_norm';
  const flat = isFlat ? FLAT_NORM_ORDERS.get(normOrderText(text)) : undefined;
  const reading = normOrder(text);
  const refused = isFlat ? (flat === undefined ? ': torch.linalg.vector_norm reads the orders 2 and 1' : undefined) : 'refused' in reading ? reading.refused : undefined;
  if (refused !== undefined) {
    const at = { start: name.startOffset, end: end(host.out[host.out.length - 1]!) };
    host.context.report('syntax/unsupported-notation', at, `'${call.nameToken!.image}' of order ${text}`, refused);
    return;
  }
  host.out[call.at] = covering(FunctionName, source, name.startOffset, end(name), flat ?? 'specnorm');
  if (flat !== undefined) host.out.splice(call.commas[0]!, order![1] - call.commas[0]!);
  // The payload marks it read: the reader takes the order's text, never this token's value.
  else host.out.splice(order![0], tokens.length, covering(NumberLiteral, source, tokens[0]!.startOffset, end(tokens[tokens.length - 1]!), 0));
}

/** Arguments of the call as index ranges [from, to) into out. */
export function callArguments(out: readonly IToken[], call: OpenCall): [number, number][] {
  const open = call.at + (call.nameToken !== undefined ? 1 : 0);
  const bounds = [open, ...call.commas, out.length - 1];
  const args: [number, number][] = [];
  for (let k = 0; k + 1 < bounds.length; k++) args.push([bounds[k]! + 1, bounds[k + 1]!]);
  return args;
}

/**
 * `np.sum(X, axis=1)`, `torch.sum(X, dim=0)`, `np.sum(X, 1)`: NumPy's axes have one meaning (0 and
 * −2 the columns, 1 and −1 the rows), read as the row or column form (../along-axis.ts). False when
 * the call is not one of them; an axis out of range is refused here.
 */
export function readAlongAxis(host: MethodHost, call: OpenCall): boolean {
  const forms = AXIS_CALLS.get(call.name);
  if (forms === undefined || call.nameToken === undefined) return false;
  const comma = call.commas[0]!;
  const [second, ...rest] = [...call.commas.slice(1), host.out.length - 1].map((to, k) => host.out.slice((k === 0 ? comma : call.commas[k]!) + 1, to));
  if (!rest.every(isKeepDims)) return false;
  const axis = axisOf(second!);
  if (axis === undefined) return false;
  const name = host.out[call.at]!;
  const word = axisWordOrRefuse(host, forms, axis);
  host.out.splice(comma, host.out.length - 1 - comma);
  host.out[call.at] = covering(FunctionName, host.context.source, name.startOffset, end(name), word);
  return true;
}

export function checkArity(host: MethodHost, call: OpenCall, arity: number): boolean {
  if (call.nameToken === undefined || call.commas.length === arity - 1) return true;
  const first = host.out[call.at]!;
  const what = `'${call.nameToken.image}' with ${call.commas.length + 1} arguments`;
  host.context.report('syntax/unsupported-notation', { start: first.startOffset, end: end(host.out[host.out.length - 1]!) }, what, `: matcalc reads ${call.nameToken.image}(x) with one argument (axis, ord and keyword arguments are not supported)`);
  return false;
}

/** `np.maximum(x, 0)` → relu(x): the other argument must be the constant. */
export function readConstantArgument(host: MethodHost, call: OpenCall, rule: ConstantArgument): void {
  const args = callArguments(host.out, call);
  const other = args[1 - rule.operand];
  const value = other === undefined ? undefined : constantValue(host.out.slice(other[0], other[1]));
  const first = host.out[call.at]!;
  if (args.length !== 2 || value === undefined || !rule.constant(value)) {
    host.context.report('syntax/unsupported-notation', { start: first.startOffset, end: end(host.out[host.out.length - 1]!) }, `'${call.nameToken!.image}' with these arguments`, `: only ${call.name}${rule.operand === 0 ? '(x, 0)' : '(0, x)'} is read, as ${rule.fn}(x)`);
    return;
  }
  const [from, to] = args[rule.operand]!;
  const operand = host.out.slice(from, to);
  const open = host.out[call.at + 1]!;
  const close = host.out[host.out.length - 1]!;
  const source = host.context.source;
  // The constant's text joins the nearer parenthesis, so every character stays covered.
  const opener = rule.operand === 0 ? open : covering(LParen, source, open.startOffset, operand[0]?.startOffset ?? end(open));
  const closer = rule.operand === 0 ? covering(RParen, source, end(operand[operand.length - 1] ?? open), end(close)) : close;
  host.out.splice(call.at, host.out.length - call.at, retyped(host.out[call.at]!, FunctionName, rule.fn), opener, ...operand, closer);
}

/** A template call: the arguments, each in parentheses, with the template's operators between. */
export function readTemplate(host: MethodHost, call: OpenCall, template: Template, arity: number): void {
  if (!checkArity(host, call, arity)) return;
  const args = callArguments(host.out, call).map(([from, to]) => host.out.slice(from, to));
  const name = host.out[call.at]!;
  const open = host.out[call.at + 1]!;
  const close = host.out[host.out.length - 1]!;
  const built: IToken[] = [covering(LParen, host.context.source, name.startOffset, end(open))];
  for (const piece of template) {
    if (piece === 0 || piece === 1) {
      const arg = args[piece]!;
      const at = arg[0]?.startOffset ?? end(open);
      built.push(zeroWidth(LParen, at), ...arg, zeroWidth(RParen, arg.length > 0 ? end(arg[arg.length - 1]!) : at));
    } else {
      built.push(zeroWidth(piece.type, close.startOffset, piece.payload));
    }
  }
  built.push(close);
  host.out.splice(call.at, host.out.length - call.at, ...built);
}

/** The calls that join a list of blocks along an axis (the default 0: top to bottom). */
const CONCATENATE_CALLS: ReadonlySet<string> = new Set(['np.concatenate', 'torch.cat', 'torch.concatenate']);

/**
 * `np.concatenate([A, B], axis=1)`, `torch.cat((h, x), dim=1)`: blocks side by side, [A, B]; axis 0
 * (the default) top to bottom, [A; B]. Arrays are 2-D here, as for the reductions (numpy-axes.ts):
 * 1 and −1 are the columns' axis, 0 and −2 the rows'. The list arrives with its commas read as ';'
 * (numpy.ts), so for axis 1 its top-level separators become ','. False when the call is not one of
 * these with an axis; an axis a matrix lacks, or a first argument that is not a list, is refused.
 */
export function readConcatenateAxis(host: MethodHost, call: OpenCall): boolean {
  if (!CONCATENATE_CALLS.has(call.name) || call.nameToken === undefined || call.commas.length !== 1) return false;
  const [list, axisArg] = callArguments(host.out, call);
  const axis = axisOf(host.out.slice(axisArg![0], axisArg![1]));
  if (axis === undefined) return false;
  const name = host.out[call.at]!;
  const whole = { start: name.startOffset, end: end(host.out[host.out.length - 1]!) };
  const [from, to] = list!;
  if (host.out[from]?.tokenType !== LBracket || host.out[to - 1]?.tokenType !== RBracket) {
    host.context.report('syntax/unsupported-notation', whole, `'${call.nameToken.image}' with an axis`, ': matcalc reads it with the blocks written out as a list, np.concatenate([A, B], axis=1)');
    return true;
  }
  const across = axis.value === 1 || axis.value === -1;
  if (!across && axis.value !== 0 && axis.value !== -2) {
    host.context.report('syntax/unsupported-notation', whole, `'${call.nameToken.image}' along axis ${axis.value}`, ': a matrix has the axes 0 (top to bottom) and 1 (side by side)');
    return true;
  }
  if (across) {
    let depth = 0;
    for (let k = from; k < to; k++) {
      const type = host.out[k]!.tokenType;
      if (type === LBracket || type === LParen) depth++;
      else if (type === RBracket || type === RParen) depth--;
      else if (type === Semicolon && depth === 1) host.out[k] = retyped(host.out[k]!, Comma);
    }
  }
  // The axis goes, and the name (as for np.asarray): the list in parentheses remains.
  host.out.splice(call.commas[0]!, host.out.length - 1 - call.commas[0]!);
  host.out[call.at + 1] = covering(LParen, host.context.source, name.startOffset, end(host.out[call.at + 1]!));
  host.out.splice(call.at, 1);
  return true;
}
