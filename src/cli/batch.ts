import { readFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { jsonText } from '../emit/escape.js';
import { INTERNAL_ERROR_CODE, REQUEST_ERROR_CODE, REQUEST_ERROR_IDS } from '../emit/schema.js';
import { commandJson } from '../emit/command-json.js';
import { run, terms } from '../pipeline.js';
import type { Report } from '../report.js';

const { resetTerms } = terms;
import { ExitCode } from './exit-codes.js';
import { parsePointJson, type PointValue } from '../shape/point.js';

/**
 * `matcalc batch`: JSON Lines in, JSON Lines out. Each non-blank input line is a request
 * {"expr", "wrt", "dims"?, "assume"?, "functions"?, "elementwise"?, "seed"?, "id"?, "command"?, "layout"?, "structured"?, "at"?}; each gets
 * one compact output line, in order: the result (the same object as `<command> --format json`, plus
 * "id"; the command is grad unless "command" says diff, jac or hess) or {"error": {…}, "id"?}. A bad
 * line never stops the batch.
 */

export interface BatchOptions {
  /** The error object of a diagnostic (the CLI's diagnosticJson, so batch and grad agree). */
  readonly errorJson: (d: Diagnostic) => Record<string, unknown>;
  /** Receives each output line, newline included. */
  readonly write: (line: string) => void;
  /** Called after each request with (done, total); for a progress bar. */
  readonly progress?: (done: number, total: number) => void;
  /** Asked before each request: true stops the batch there (SIGINT), after the last whole line. */
  readonly interrupted?: () => boolean;
  /** runBatchStream only: aborting it stops waiting for input (SIGINT while no line is pending). */
  readonly signal?: AbortSignal;
  /** false: no numeric check (`batch --no-check`); the check runs otherwise. */
  readonly check?: boolean;
}

const FIELDS = ['expr', 'wrt', 'dims', 'assume', 'functions', 'elementwise', 'seed', 'id', 'command', 'layout', 'structured', 'at'] as const;
const COMMANDS = ['grad', 'diff', 'jac', 'hess'] as const;

export interface InputLine {
  readonly number: number;
  readonly start: number;
  readonly text: string;
}

/** The non-blank lines, with their 1-based numbers and UTF-16 offsets (a trailing \r is dropped). */
export function requestLines(text: string): InputLine[] {
  const lines: InputLine[] = [];
  let start = 0;
  let number = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() !== '') lines.push({ number, start, text: line });
    start = end + 1;
    number++;
  }
  return lines;
}

/** A byte-order mark some editors write is not part of the first request. */
function withoutBom(text: string): string {
  return text.replace(/^\uFEFF/, '');
}

/** Reads the batch file, or standard input for undefined or '-'. */
export function readBatchInput(file: string | undefined): { ok: true; text: string; name: string } | { ok: false; message: string } {
  if (file === undefined || file === '-') {
    try {
      return { ok: true, text: withoutBom(readFileSync(0, 'utf8')), name: '<stdin>' };
    } catch {
      return { ok: true, text: '', name: '<stdin>' };
    }
  }
  try {
    return { ok: true, text: withoutBom(readFileSync(file, 'utf8')), name: file };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    return { ok: false, message: `cannot read batch file '${file}': ${reason}` };
  }
}

type LineOutcome = { line: Record<string, unknown>; code: number };

/**
 * Runs every request; returns the exit code: 2 if any line was bad input, else 1 if any check
 * failed, else 0 (70 on an internal error, 130 when interrupted). Each output line is one write of
 * the whole line, and the loop yields to the event loop between requests, so a SIGINT handler runs
 * there (never inside a line) and a reader never sees half a JSON line.
 */
export async function runBatch(text: string, sourceName: string, options: BatchOptions): Promise<number> {
  const lines = requestLines(text);
  let code: number = ExitCode.Ok;
  for (const [i, line] of lines.entries()) {
    if (options.interrupted?.()) return ExitCode.Interrupted;
    // Free the terms of the requests before (the hash-consing tables never shrink); the output does
    // not depend on them either way (test/determinism).
    resetTerms();
    const outcome = runLine(line, sourceName, options);
    options.write(`${jsonText(outcome.line)}\n`);
    code = worse(code, outcome.code);
    options.progress?.(i + 1, lines.length);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return code;
}

/**
 * `matcalc batch --stream`: the same answers, but each line is answered as soon as it has been read,
 * not after the end of the input, so a program can keep one process and talk to it over a pipe (the
 * Python package does). Line numbers, offsets, the byte-order mark and CRLF are as requestLines
 * reads them; there is no progress (the number of requests is not known in advance).
 */
export async function runBatchStream(input: AsyncIterable<string | Buffer>, sourceName: string, options: BatchOptions): Promise<number> {
  let code: number = ExitCode.Ok;
  try {
    for await (const line of streamedLines(input, options.signal)) {
      if (options.interrupted?.()) return ExitCode.Interrupted;
      resetTerms();
      const outcome = runLine(line, sourceName, options);
      options.write(`${jsonText(outcome.line)}\n`);
      code = worse(code, outcome.code);
    }
  } catch (error) {
    if (options.signal?.aborted) return ExitCode.Interrupted;
    throw error;
  }
  return options.interrupted?.() ? ExitCode.Interrupted : code;
}

/** The non-blank lines of a stream as they complete (a StringDecoder keeps split UTF-8 whole). */
async function* streamedLines(input: AsyncIterable<string | Buffer>, signal: AbortSignal | undefined): AsyncGenerator<InputLine> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let offset = 0; // UTF-16 offset of `pending` in the whole input (without its byte-order mark)
  let number = 1;
  let first = true;
  const take = (text: string): InputLine | undefined => {
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    const request = line.trim() === '' ? undefined : { number, start: offset, text: line };
    offset += text.length + 1;
    number++;
    return request;
  };
  const aborted = new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
  aborted.catch(() => undefined);
  const chunks = input[Symbol.asyncIterator]();
  for (;;) {
    const next = await (signal ? Promise.race([chunks.next(), aborted]) : chunks.next());
    if (next.done) break;
    pending += typeof next.value === 'string' ? next.value : decoder.write(next.value);
    if (first && pending.length > 0) {
      pending = withoutBom(pending);
      first = false;
    }
    let end: number;
    while ((end = pending.indexOf('\n')) >= 0) {
      const request = take(pending.slice(0, end));
      pending = pending.slice(end + 1);
      if (request) yield request;
    }
  }
  pending += decoder.end();
  if (first) pending = withoutBom(pending);
  const last = take(pending);
  if (last) yield last;
}

export function worse(a: number, b: number): number {
  const rank = (c: number) => (c === ExitCode.Internal ? 3 : c === ExitCode.BadInput ? 2 : c === ExitCode.CheckFailed ? 1 : 0);
  return rank(b) > rank(a) ? b : a;
}

/**
 * Answers lines as runBatch does, each as a fresh process would (terms reset before each): the
 * output text of all of them and the worst exit code (a worker of `batch --jobs` answers a chunk so).
 */
export function answerLines(lines: readonly InputLine[], sourceName: string, options: Pick<BatchOptions, 'errorJson' | 'check'>): { text: string; code: number } {
  let text = '';
  let code: number = ExitCode.Ok;
  for (const line of lines) {
    resetTerms();
    const outcome = runLine(line, sourceName, options);
    text += `${jsonText(outcome.line)}\n`;
    code = worse(code, outcome.code);
  }
  return { text, code };
}

function runLine(line: InputLine, sourceName: string, options: Pick<BatchOptions, 'errorJson' | 'check'>): LineOutcome {
  const requestError = (id: string, message: string, requestId?: { value: unknown }): LineOutcome => ({
    line: {
      error: {
        code: REQUEST_ERROR_CODE,
        id,
        message: `line ${line.number}: ${message}`,
        source: sourceName,
        line: line.number,
        column: 1,
        start: line.start,
        end: line.start + line.text.length,
      },
      ...(requestId ? { id: requestId.value } : {}),
    },
    code: ExitCode.BadInput,
  });

  let request: unknown;
  try {
    request = JSON.parse(line.text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return requestError(REQUEST_ERROR_IDS.notJson, `not JSON (${why})`);
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return requestError(REQUEST_ERROR_IDS.notJson, `expected a JSON object {"expr": …, "wrt": …}, got ${Array.isArray(request) ? 'an array' : JSON.stringify(request)}`);
  }
  const r = request as Record<string, unknown>;
  const id = Object.hasOwn(r, 'id') ? { value: r.id } : undefined;
  const bad = (message: string) => requestError(REQUEST_ERROR_IDS.badRequest, message, id);

  const unknown = Object.keys(r).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) return bad(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')} (expected ${FIELDS.join(', ')})`);
  for (const key of ['expr', 'wrt'] as const) {
    if (r[key] === undefined) return bad(`the request has no "${key}" (a request needs "expr" and "wrt")`);
  }
  if (typeof r.expr !== 'string') return bad('"expr" must be a string');
  const wrt = r.wrt;
  if (!(typeof wrt === 'string' || (Array.isArray(wrt) && wrt.length > 0 && wrt.every((w) => typeof w === 'string')))) {
    return bad('"wrt" must be a string such as "X" or "W1,W2", or a non-empty list of names');
  }
  for (const key of ['dims', 'assume'] as const) {
    if (r[key] !== undefined && typeof r[key] !== 'string') return bad(`"${key}" must be a string, e.g. ${key === 'dims' ? '"X=3x4,a=3"' : '"S:spd"'}`);
  }
  if (r.seed !== undefined && !(typeof r.seed === 'number' && Number.isInteger(r.seed) && r.seed >= 0)) {
    return bad(`"seed" must be a non-negative integer, got ${JSON.stringify(r.seed)}`);
  }
  if (r.command !== undefined && !(COMMANDS as readonly unknown[]).includes(r.command)) {
    return bad(`"command" must be one of ${COMMANDS.join(', ')}, got ${JSON.stringify(r.command)}`);
  }
  if (r.layout !== undefined && r.layout !== 'numerator' && r.layout !== 'denominator') {
    return bad(`"layout" must be "numerator" or "denominator", got ${JSON.stringify(r.layout)}`);
  }
  if (r.layout !== undefined && r.command !== 'jac') return bad('"layout" is for "command": "jac" only');
  if (r.structured !== undefined && typeof r.structured !== 'boolean') return bad(`"structured" must be true or false, got ${JSON.stringify(r.structured)}`);
  if (r.structured !== undefined && (r.command ?? 'grad') !== 'grad') return bad('"structured" is for grad only');
  // "at": text as --at takes it, or an object as --at-file holds it.
  let at: string | ReadonlyMap<string, PointValue> | undefined;
  if (typeof r.at === 'string') at = r.at;
  else if (r.at !== undefined) {
    const parsed = r.at !== null && typeof r.at === 'object' && !Array.isArray(r.at) ? parsePointJson(JSON.stringify(r.at), `${sourceName}:${line.number} at`) : undefined;
    if (!parsed) return bad('"at" must be a string such as "x=-2, W=[[1,2],[3,4]]" or an object such as {"x": -2, "W": [[1, 2], [3, 4]]}');
    if (!parsed.ok) return { line: { error: options.errorJson(parsed.diagnostics[0]!), ...(id ? { id: id.value } : {}) }, code: ExitCode.BadInput };
    at = parsed.value;
  }

  try {
    const common = {
      expression: r.expr,
      wrt: wrt as string | string[],
      dims: r.dims as string | undefined,
      assume: r.assume as string | undefined,
      // Abstract functions: a string "f,h" or a list, checked by request.ts as the library's fields are.
      ...(r.functions !== undefined ? { functions: r.functions as string | string[] } : {}),
      ...(r.elementwise !== undefined ? { elementwise: r.elementwise as string | string[] } : {}),
      seed: (r.seed as number | undefined) ?? 1,
      steps: true,
      check: options.check !== false,
      sample: false, // JSON lines embed no module, so no self-check inputs are drawn
      sourceName: `${sourceName}:${line.number} expr`,
      ...(at !== undefined ? { at } : {}),
    };
    const command = r.command;
    const result =
      command === 'diff' || command === 'jac' || command === 'hess'
        ? run({ ...common, command, layout: r.layout === 'denominator' ? 'denominator' : 'numerator' })
        : run({ ...common, structured: r.structured === true });
    const outcome = toJson(result);
    if (!outcome.ok) {
      return { line: { error: options.errorJson(outcome.diagnostic), ...(id ? { id: id.value } : {}) }, code: ExitCode.BadInput };
    }
    if (id) outcome.json.id = id.value;
    return { line: outcome.json, code: outcome.failed ? ExitCode.CheckFailed : ExitCode.Ok };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      line: {
        error: { code: INTERNAL_ERROR_CODE, id: REQUEST_ERROR_IDS.internal, message: `line ${line.number}: internal error (a bug in matcalc, please report it): ${message}` },
        ...(id ? { id: id.value } : {}),
      },
      code: ExitCode.Internal,
    };
  }
}

function toJson(result: Result<Report>): { ok: true; json: Record<string, unknown>; failed: boolean } | { ok: false; diagnostic: Diagnostic } {
  if (!result.ok) return { ok: false, diagnostic: result.diagnostics[0]! };
  return { ok: true, json: commandJson(result.value), failed: result.value.check?.status === 'failed' };
}

/** A one-line progress bar for a terminal: "[#####-----] 12/40". */
export function progressBar(done: number, total: number, width = 30): string {
  const filled = Math.round((done / total) * width);
  return `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}
