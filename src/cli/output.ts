import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDiagnostic } from '../diagnostics/render.js';
import * as locateModule from '../diagnostics/span.js';
import { jsonText, visibleControls } from '../emit/escape.js';
import { ExitCode } from './exit-codes.js';

/** Where the command line writes: the two streams, their colours, diagnostics and usage errors. */

/**
 * Output that cannot be written (`> /dev/full`, a pipe closed by `| head`, a lost terminal) is not
 * a bug and not bad input: one line on stderr (if stderr itself still works) and EX_IOERR, so a
 * script can tell it from a failed check (1) or bad input (2).
 */
export function writeFailed(stream: NodeJS.WriteStream, error: NodeJS.ErrnoException): never {
  const what = stream === process.stdout ? 'standard output' : 'standard error';
  const why = error.code === 'EPIPE' ? 'the reader closed the pipe' : error.code === 'ENOSPC' ? 'no space left on the device' : error.message;
  if (stream !== process.stderr) {
    try {
      process.stderr.write(`matcalc: cannot write to ${what}: ${why}${error.code ? ` (${error.code})` : ''}\n`);
    } catch {
      // stderr is gone too: the exit code is all that is left to say it.
    }
  }
  process.exit(ExitCode.IoError);
}

/** A write to stderr of text that may quote the input: control characters shown as U+XXXX. */
export function writeError(text: string): void {
  process.stderr.write(visibleControls(text));
}

/** The styles the CLI uses: chalk's, or (no colour) the identity, without loading chalk. */
export type Paint = ((text: string) => string) & { readonly [K in 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan']: Paint };

const plain: Paint = (() => {
  const paint = ((text: string) => text) as Paint;
  for (const k of ['bold', 'dim', 'red', 'green', 'yellow', 'cyan']) Object.defineProperty(paint, k, { get: () => paint });
  return paint;
})();

function colourLevel(stream: NodeJS.WriteStream): 0 | 1 {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return !noColor && stream.isTTY ? 1 : 0;
}

/** The paint of standard output and of standard error. */
export const paint: { out: Paint; err: Paint } = { out: plain, err: plain };

/**
 * Colour is for terminals only; piped output (scripts, tests, `| head`) need not pay for chalk.
 * Called by the command line before anything is printed, not when this module is evaluated: no
 * top-level await in the bundle, a classic script whose compiled code V8 caches, and the start-up
 * snapshot evaluates this module where it is built, with other streams (scripts/bundle-cli.mjs).
 */
export async function loadColours(): Promise<void> {
  const levels = [colourLevel(process.stdout), colourLevel(process.stderr)] as const;
  if (!levels[0] && !levels[1]) return;
  const { Chalk } = await import('chalk');
  if (levels[0]) paint.out = new Chalk({ level: levels[0] });
  if (levels[1]) paint.err = new Chalk({ level: levels[1] });
}

export function printDiagnostics(diagnostics: readonly Diagnostic[], format: string): void {
  if (format === 'json') {
    const d = diagnostics[0]!;
    process.stdout.write(`${jsonText({ error: diagnosticJson(d) })}\n`);
    return;
  }
  const { err } = paint;
  for (const d of diagnostics) {
    process.stderr.write(`${renderDiagnostic(d, { severity: (t) => err.red.bold(t), caret: (t) => err.red(t), dim: (t) => err.dim(t) })}\n`);
  }
}

export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  const json: Record<string, unknown> = { code: d.code, id: d.id, message: d.message };
  if (d.source && d.span) {
    const { locate } = locateModule;
    const where = locate(d.source.text, d.span.start);
    json.source = d.source.name;
    json.line = where.line;
    json.column = where.column;
    json.start = d.span.start;
    json.end = d.span.end;
  }
  if (d.notes.length > 0) json.notes = d.notes.map((n) => n.message);
  return json;
}

export function usageError(message: string, format: string): number {
  if (format === 'json') process.stdout.write(`${jsonText({ error: { code: 'MC2000', id: 'usage', message } })}\n`);
  else process.stderr.write(`${paint.err.red.bold('error')}: ${visibleControls(message)}\n`);
  return ExitCode.BadInput;
}
