import { diag, fail, ok, type Diagnostic, type Result } from './diagnostics/diagnostic.js';
import type { Source } from './diagnostics/span.js';
import { abstractParameters } from './emit/abstract-parameters.js';
import type { GradientRequest } from './report.js';
import type { TypedProgram } from './shape/program-types.js';
import type { Program } from './syntax/ast.js';
import { isAbstractFunctionName, MAX_FUNCTION_NAME } from './term/abstract-functions.js';
import { FUNCTION_KEYWORDS } from './syntax/name-vocabulary.js';
import { parsePoint, type Point } from './shape/point.js';
import {
  canonicalName,
  impliesSquare,
  isValidName,
  parseAssume,
  parseDims,
  parseWrt,
  PROPERTIES,
  type Declarations,
  type Property,
} from './shape/declarations.js';

/**
 * The library boundary: one check of every field of a request before any stage sees it. The CLI
 * and batch build their requests from text and arrive here too, so a name that reaches an emitter
 * has passed the same test whichever door it came in by (a `--wrt` of `a\n\input{…}` given as a
 * list, a dims map with NaN sizes, `null` for the whole request). The answer is a diagnostic
 * (`ok: false`), never a thrown TypeError: a caller in JavaScript can pass anything.
 */

/** The largest size a dimension may have (as `--dims` allows). */
const MAX_SIZE = 100_000;

/** What each optional field must be, as data: the field, a test and what the message asks for. */
const OPTIONAL_FIELDS: readonly { field: string; test: (v: unknown) => boolean; expected: string }[] = [
  { field: 'check', test: (v) => typeof v === 'boolean', expected: 'true or false' },
  { field: 'steps', test: (v) => typeof v === 'boolean', expected: 'true or false' },
  { field: 'structured', test: (v) => typeof v === 'boolean', expected: 'true or false' },
  { field: 'sample', test: (v) => typeof v === 'boolean', expected: 'true or false' },
  { field: 'seed', test: (v) => Number.isSafeInteger(v) && (v as number) >= 0, expected: 'a non-negative integer below 2^53' },
  { field: 'maxNodes', test: (v) => Number.isSafeInteger(v) && (v as number) >= 1, expected: 'a positive integer' },
  { field: 'sourceName', test: (v) => typeof v === 'string', expected: 'a string' },
];

/** The fields only derivative() reads; its command is required. */
const DERIVATIVE_FIELDS: readonly { field: string; test: (v: unknown) => boolean; expected: string }[] = [
  { field: 'command', test: (v) => v === 'diff' || v === 'jac' || v === 'hess', expected: '"diff", "jac" or "hess"' },
  { field: 'layout', test: (v) => v === undefined || v === 'numerator' || v === 'denominator', expected: '"numerator" or "denominator"' },
  { field: 'pullback', test: (v) => v === undefined || typeof v === 'boolean', expected: 'true or false' },
];

/** A short, printable rendering of a bad value for a message (JSON, cut, controls escaped by JSON). */
function shown(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value instanceof Map) return 'a Map';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(typeof value);
  } catch {
    text = typeof value;
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function refuse(message: string): Result<never> {
  return fail(diag('request/bad-field', {}, message));
}

/** A variable name as an expression can write it (the grammar's letters, digits and subscripts). */
function checkName(name: unknown, field: string): Result<true> {
  if (typeof name !== 'string') return refuse(`${field}: a variable name must be a string, got ${shown(name)}`);
  if (!isValidName(canonicalName(name))) return refuse(`${field}: ${shown(name)} is not a variable name (a letter, then letters, digits or subscripts)`);
  return ok(true);
}

function checkWrt(wrt: unknown): Result<true> {
  if (typeof wrt === 'string') return ok(true); // parsed, with positions, by parseWrt
  if (!Array.isArray(wrt)) return refuse(`wrt must be a name, a comma-separated string of names or a list of names, got ${shown(wrt)}`);
  if (wrt.length === 0) return refuse('wrt: name at least one variable');
  for (const name of wrt) {
    const checked = checkName(name, 'wrt');
    if (!checked.ok) return checked;
  }
  return ok(true);
}

function isSize(n: unknown): boolean {
  return Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_SIZE;
}

function checkDims(dims: unknown): Result<true> {
  if (dims === undefined || typeof dims === 'string') return ok(true);
  if (!(dims instanceof Map)) return refuse(`dims must be a string such as "X=3x4,a=3" or a Map from names to [rows, cols], got ${shown(dims)}`);
  for (const [name, size] of dims as Map<unknown, unknown>) {
    const checked = checkName(name, 'dims');
    if (!checked.ok) return checked;
    if (!Array.isArray(size) || size.length !== 2 || !size.every(isSize)) {
      return refuse(`dims: the size of ${name as string} must be [rows, cols], integers from 1 to ${MAX_SIZE}, got ${shown(size)}`);
    }
  }
  return ok(true);
}

function checkAssume(assume: unknown): Result<true> {
  if (assume === undefined || typeof assume === 'string') return ok(true);
  if (!(assume instanceof Map)) return refuse(`assume must be a string such as "S:spd" or a Map from names to sets of properties, got ${shown(assume)}`);
  for (const [name, properties] of assume as Map<unknown, unknown>) {
    const checked = checkName(name, 'assume');
    if (!checked.ok) return checked;
    const list = properties instanceof Set ? [...properties] : undefined;
    if (!list || !list.every((p) => (PROPERTIES as readonly unknown[]).includes(p))) {
      return refuse(`assume: the properties of ${name as string} must be a Set of ${PROPERTIES.join(', ')}, got ${shown(list ?? properties)}`);
    }
  }
  return ok(true);
}

/** A point: text for parsePoint, or a Map from names to {rows, cols, data} with rows·cols finite entries. */
/** --function and --elementwise: a comma-separated string or a list of names a function may have. */
function functionNames(value: unknown, field: string): Result<readonly string[]> {
  if (value === undefined) return ok([]);
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : value;
  if (!Array.isArray(list)) return refuse(`${field} must be a comma-separated string of function names or a list of names, got ${shown(value)}`);
  for (const name of list) {
    if (typeof name !== 'string' || !isAbstractFunctionName(name)) {
      return refuse(`${field}: ${shown(name)} is not a function name (an ASCII letter, then letters, digits or _, at most ${MAX_FUNCTION_NAME} characters)`);
    }
    if ((FUNCTION_KEYWORDS as readonly string[]).includes(name)) return refuse(`${field}: ${name} is a built-in function; choose another name for the abstract function`);
  }
  return ok(list as string[]);
}

/**
 * The request's abstract functions by name and role. A name may not be declared twice over, nor
 * also as a variable (--wrt, --dims, --assume): f would then be both a function and a matrix.
 */
export function resolveFunctions(request: GradientRequest, variables: ReadonlySet<string>): Result<ReadonlyMap<string, 'scalar' | 'elementwise'>> {
  const scalar = functionNames(request.functions, 'functions');
  if (!scalar.ok) return scalar;
  const elementwise = functionNames(request.elementwise, 'elementwise');
  if (!elementwise.ok) return elementwise;
  const roles = new Map<string, 'scalar' | 'elementwise'>();
  for (const [names, role] of [[scalar.value, 'scalar'], [elementwise.value, 'elementwise']] as const) {
    for (const name of names) {
      if (roles.has(name) && roles.get(name) !== role) return refuse(`${name} is declared both with --function and with --elementwise; it is one or the other`);
      if (variables.has(name)) return refuse(`${name} is declared a function and also a variable (--wrt, --dims or --assume); use another name for one of them`);
      roles.set(name, role);
    }
  }
  return ok(roles);
}

function checkAt(at: unknown): Result<true> {
  if (at === undefined || typeof at === 'string') return ok(true);
  if (!(at instanceof Map)) return refuse(`at must be a string such as "x=-2, W=[[1,2],[3,4]]" or a Map from names to {rows, cols, data}, got ${shown(at)}`);
  for (const [name, value] of at as Map<unknown, unknown>) {
    const checked = checkName(name, 'at');
    if (!checked.ok) return checked;
    const v = value as { rows?: unknown; cols?: unknown; data?: unknown } | null;
    const good =
      typeof v === 'object' && v !== null && isSize(v.rows) && isSize(v.cols) && Array.isArray(v.data) &&
      v.data.length === (v.rows as number) * (v.cols as number) && v.data.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (!good) return refuse(`at: the value of ${name as string} must be {rows, cols, data} with rows·cols finite numbers, got ${shown(value)}`);
  }
  return ok(true);
}

/** Checks a gradient or derivative request as it arrives from a caller; `ok` means every stage may trust its fields. */
export function validateRequest(request: unknown, kind: 'gradient' | 'derivative'): Result<true> {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return refuse(`expected a request object {expression, wrt, …}, got ${shown(request)}`);
  }
  const r = request as Record<string, unknown>;
  if (typeof r.expression !== 'string') return refuse(`expression must be a string, got ${shown(r.expression)}`);
  for (const check of [checkWrt(r.wrt), checkDims(r.dims), checkAssume(r.assume), checkAt(r.at), functionNames(r.functions, 'functions'), functionNames(r.elementwise, 'elementwise')]) if (!check.ok) return check;
  for (const { field, test, expected } of OPTIONAL_FIELDS) {
    if (r[field] !== undefined && !test(r[field])) return refuse(`${field} must be ${expected}, got ${shown(r[field])}`);
  }
  if (kind === 'derivative') {
    for (const { field, test, expected } of DERIVATIVE_FIELDS) {
      if (!test(r[field])) return refuse(`${field} must be ${expected}, got ${shown(r[field])}`);
    }
  }
  return ok(true);
}

/** The request's point (--at), parsed from text or as given; undefined without one. */
export function resolvePoint(request: GradientRequest): Result<Point | undefined> {
  if (request.at === undefined) return ok(undefined);
  if (typeof request.at === 'string') return parsePoint(request.at);
  return ok(new Map([...request.at].map(([name, value]) => [canonicalName(name), value])));
}

/**
 * The sizes a point gives, merged into --dims: a value is a declaration of its variable's size, and a
 * --dims entry that says otherwise is an error naming both (neither silently wins).
 */
function mergePointDims(dims: ReadonlyMap<string, readonly [number, number]>, point: Point | undefined): Result<ReadonlyMap<string, readonly [number, number]>> {
  if (!point) return ok(dims);
  const merged = new Map(dims);
  for (const [name, value] of point) {
    const declared = dims.get(name);
    if (declared && (declared[0] !== value.rows || declared[1] !== value.cols)) {
      return fail(diag('at/dims-conflict', {}, name, `${declared[0]}×${declared[1]}`, `${value.rows}×${value.cols}`));
    }
    merged.set(name, [value.rows, value.cols]);
  }
  return ok(merged);
}

/** The request's --dims and --assume, parsed (from text) or checked (maps), and consistent with each other; a point's sizes merged in. */
export function resolveDeclarations(request: GradientRequest, point?: Point): Result<Declarations> {
  let dims: ReadonlyMap<string, readonly [number, number]> = new Map();
  let assumptions: ReadonlyMap<string, ReadonlySet<Property>> = new Map();
  if (typeof request.dims === 'string') {
    const parsed = parseDims(request.dims);
    if (!parsed.ok) return parsed;
    dims = parsed.value;
  } else if (request.dims) dims = new Map([...request.dims].map(([name, size]) => [canonicalName(name), size])); // W₁ as W1, as in text
  const withPoint = mergePointDims(dims, point);
  if (!withPoint.ok) return withPoint;
  dims = withPoint.value;
  if (typeof request.assume === 'string') {
    const parsed = parseAssume(request.assume);
    if (!parsed.ok) return parsed;
    assumptions = parsed.value;
  } else if (request.assume) assumptions = new Map([...request.assume].map(([name, props]) => [canonicalName(name), props]));
  for (const [name, props] of assumptions) {
    // A map from a library caller is not parsed: the one combination parseAssume refuses, refused here too.
    if (props.has('sign') && props.size > 1) {
      return fail(diag('shape/bad-assume', {}, `${name}:${[...props].join(':')}`, `sign (entries ±1) cannot be combined with ${[...props].filter((p) => p !== 'sign').join(', ')}`));
    }
    const d = dims.get(name);
    if (d && impliesSquare(props) && d[0] !== d[1]) {
      // Point at the entry in --assume when it was given as text.
      let at = {};
      if (typeof request.assume === 'string') {
        const m = new RegExp(`(^|,)\\s*(${name.replace(/[^\w]/g, '\\$&')}\\s*:[^,]*)`).exec(request.assume);
        if (m) {
          const start = m.index + m[0].length - m[2]!.length;
          at = { source: { name: '--assume', text: request.assume }, span: { start, end: start + m[2]!.trimEnd().length } };
        }
      }
      const square = [...props].filter((p) => p !== 'positive').join(', ');
      return fail(diag('shape/assume-conflict', at, name, square, `${d[0]}×${d[1]}`));
    }
  }
  return ok({ dims, assumptions });
}

/**
 * `--wrt y` for y assumed sign: its entries are ±1, a discrete set, so there is no derivative, and
 * the simplifier's y ⊙ y = 𝟙 would make a finite-difference check meaningless. Points at y in --wrt.
 */
export function signWrt(name: string, wrt: readonly string[]): Diagnostic {
  const text = wrt.join(',');
  const start = wrt.slice(0, wrt.indexOf(name)).join(',').length + (wrt.indexOf(name) > 0 ? 1 : 0);
  const notes = [{ message: 'drop the sign assumption to differentiate with respect to it as a real vector' }];
  return diag('shape/wrt-sign', { source: { name: '--wrt', text }, span: { start, end: start + name.length }, notes }, name);
}

/** The declarations with `integer` added for the exponents of matrix powers (the check's sampler reads it). */
export function withIntegers(declarations: Declarations, integers: ReadonlySet<string>): Declarations {
  if (integers.size === 0) return declarations;
  const assumptions = new Map(declarations.assumptions);
  for (const name of integers) assumptions.set(name, new Set([...(assumptions.get(name) ?? []), 'integer' as const]));
  return { ...declarations, assumptions };
}

/** `--wrt n` for tr(Xⁿ): the exponent of a matrix power is an integer, never differentiated. */
export function integerWrt(name: string, wrt: readonly string[]): Diagnostic {
  const text = wrt.join(',');
  const start = wrt.slice(0, wrt.indexOf(name)).join(',').length + (wrt.indexOf(name) > 0 ? 1 : 0);
  const notes = [{ message: `differentiate with respect to the matrix (for d/dt Xᵗ of a real t, write expm(t·logm(X)))` }];
  return diag('shape/wrt-integer', { source: { name: '--wrt', text }, span: { start, end: start + name.length }, notes }, name);
}

/**
 * `--wrt x` for `aᵀexp(Xb)`: a name that does not occur but differs only in case, subscript or
 * accent from one that does is a typo, not a request for a zero gradient (issue 11 §1).
 */
export function nearMissWrt(name: string, wrt: readonly string[], occurring: readonly string[]): Diagnostic | undefined {
  const fold = (n: string): string => n.normalize('NFD').replace(/\p{M}/gu, '').replace(/(_[A-Za-z0-9]+|[0-9]+)$/, '').toLowerCase();
  const candidates = occurring.filter((v) => fold(v) === fold(name) && !wrt.includes(v)).sort();
  if (candidates.length === 0) return undefined;
  const text = wrt.join(',');
  const start = wrt.slice(0, wrt.indexOf(name)).join(',').length + (wrt.indexOf(name) > 0 ? 1 : 0);
  const where = { source: { name: '--wrt', text }, span: { start, end: start + name.length } };
  return diag('shape/bad-wrt', where, name, `${name} does not occur in the expression; did you mean ${candidates.join(' or ')}?`);
}

/** Edit distance of two short names (a did-you-mean for a point's name). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * The point against f's variables: every variable needs a value (the missing are listed), and a
 * value for a name f does not have is a typo or a different expression (with a did-you-mean when a
 * variable is one edit away, or differs only in case or subscript).
 */
export function checkPointNames(point: Point, needed: readonly string[], allowed: readonly string[]): Diagnostic | undefined {
  const variables = [...new Set([...needed, ...allowed])];
  const missing = needed.filter((name) => !point.has(name));
  for (const name of point.keys()) {
    if (variables.includes(name)) continue;
    const fold = (n: string): string => n.normalize('NFD').replace(/\p{M}/gu, '').replace(/_/g, '').toLowerCase();
    const close = variables.filter((v) => !point.has(v) && (distance(v, name) <= 1 || fold(v) === fold(name)));
    const hint = close.length > 0 ? `; did you mean ${close.join(' or ')}?` : variables.length > 0 ? ` (its variables: ${variables.join(', ')})` : '';
    return diag('at/unknown-name', {}, name, hint);
  }
  if (missing.length > 0) return diag('at/missing', {}, missing.join(', '));
  return undefined;
}

/** A request's options, read: what parsing its expression needs. */
export interface ReadRequest {
  readonly source: Source;
  readonly point?: Point;
  readonly declarations: Declarations;
  readonly wrt: readonly string[];
  readonly maxNodes: number;
  /** Every name the options declare (a point's names are in the dims). */
  readonly knownNames: ReadonlySet<string>;
  readonly functions: ReadonlyMap<string, 'scalar' | 'elementwise'>;
}

/** The point, the declarations, --wrt and the functions read, and the input's length bounded, before any stage runs. */
export function readRequest(request: GradientRequest): Result<ReadRequest> {
  const source: Source = { name: request.sourceName ?? '<input>', text: request.expression };
  const point = resolvePoint(request);
  if (!point.ok) return point;
  const declarations = resolveDeclarations(request, point.value);
  if (!declarations.ok) return declarations;
  // A list names each variable once, as the text form does (`--wrt x,x` is x).
  const wrt = typeof request.wrt === 'string' ? parseWrt(request.wrt) : ok([...new Set(request.wrt.map(canonicalName))]);
  if (!wrt.ok) return wrt;
  // Before any expensive stage: parsing and typing a 10 MB input took 37 s and 2.5 GB only to be
  // refused by the node limit afterwards. The input's length bounds the work of every stage.
  const maxNodes = request.maxNodes ?? 1_000_000;
  const maxLength = maxInputLength(maxNodes);
  if (typeof request.expression === 'string' && request.expression.length > maxLength) return fail(diag('syntax/input-too-long', {}, request.expression.length, maxLength));
  const knownNames = new Set<string>([...declarations.value.dims.keys(), ...declarations.value.assumptions.keys(), ...wrt.value]);
  const functions = resolveFunctions(request, knownNames);
  if (!functions.ok) return functions;
  return ok({ source, ...(point.value ? { point: point.value } : {}), declarations: declarations.value, wrt: wrt.value, maxNodes, knownNames, functions: functions.value });
}

/**
 * The longest input accepted: 1.5 characters per allowed graph node, at least 1,000,000 (1.5 MB with
 * the default node limit). An expression of n distinct nodes takes at least about n characters, so
 * this refuses only inputs that repeat themselves a lot — and it refuses them at once. 1.5, not 2:
 * a 2 MB sum of quadratic forms took 13.9 s and 1.8 GB on the 2-core machine, too near a 20 s,
 * 2 GiB budget for a call inside the documented limits; at 1.5 MB there is room.
 */
export function maxInputLength(maxNodes: number): number {
  return Math.max(Math.floor(1.5 * maxNodes), 1_000_000);
}

/** A --wrt variable or an --assume'd name the program defines (Y = …) is refused: it is not an input. */
export function checkDefinitions(program: Program, source: Source, wrt: readonly string[], declarations: Declarations): Diagnostic | undefined {
  for (const name of wrt) {
    const def = program.definitions.find((d) => d.name === name);
    if (def) return diag('shape/wrt-definition', { source, span: def.nameSpan }, name);
  }
  const declared = program.definitions.find((def) => declarations.assumptions.has(def.name));
  return declared && diag('shape/defined-and-declared', { source, span: declared.nameSpan }, declared.name, '--assume');
}

/**
 * The names of the typed program against the request's: a declared function used as a variable, a
 * variable named like the generated code's derivative of a function (grad_f, g_prime:
 * emit/abstract-parameters.ts), a point that misses or adds a variable.
 */
export function checkProgramNames(typed: TypedProgram, read: ReadRequest): Diagnostic | undefined {
  const { source, functions, point, wrt } = read;
  for (const name of functions.keys()) {
    if (typed.variables.has(name)) return diag('request/bad-field', { source }, `${name} is declared a function and also used as a variable; write ${name}(…), or use another name for the variable`);
  }
  for (const { name, params } of abstractParameters([typed.term])) {
    const taken = params.find((p) => typed.variables.has(p));
    if (taken !== undefined) return diag('request/bad-field', { source }, `${taken} is a variable, and the name the generated code gives the derivative of the function ${name}; rename the variable`);
  }
  return point && checkPointNames(point, [...typed.variables.keys()], wrt);
}
