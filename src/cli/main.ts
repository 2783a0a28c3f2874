#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDiagnostic } from '../diagnostics/render.js';
import * as locateModule from '../diagnostics/span.js';
import { jsonText, visibleControls } from '../emit/escape.js';
import { FORMAT_NAMES } from '../emit/format-names.js';
import { functionAsRead, sharedText } from '../emit/report.js';
import { textName } from '../emit/text.js';
import { derivative, gradient, rulebook } from '../pipeline.js';
import type { DerivativeCommand, DerivativeReport, GradientReport } from '../report.js';
import { isScalar, shapeText, type Term } from '../term/term.js';
import { ExitCode } from './exit-codes.js';

/**
 * The command line: commander and chalk live here only; everything else is the library.
 * Start-up matters (a shell loop runs this once per gradient), so what only one command or one
 * --format needs (formatters, the JSON Schema, batch) is imported when it is used.
 */

const packageJson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Output that cannot be written (`> /dev/full`, a pipe closed by `| head`, a lost terminal) is not
 * a bug and not bad input: one line on stderr (if stderr itself still works) and EX_IOERR, so a
 * script can tell it from a failed check (1) or bad input (2).
 */
function writeFailed(stream: NodeJS.WriteStream, error: NodeJS.ErrnoException): never {
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

for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => writeFailed(stream, error));
}

/** A write to stderr of text that may quote the input: control characters shown as U+XXXX. */
function writeError(text: string): void {
  process.stderr.write(visibleControls(text));
}

/** The styles the CLI uses: chalk's, or (no colour) the identity, without loading chalk. */
type Paint = ((text: string) => string) & { readonly [K in 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan']: Paint };

const plain: Paint = (() => {
  const paint = ((text: string) => text) as Paint;
  for (const k of ['bold', 'dim', 'red', 'green', 'yellow', 'cyan']) Object.defineProperty(paint, k, { get: () => paint });
  return paint;
})();

function colourLevel(stream: NodeJS.WriteStream): 0 | 1 {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return !noColor && stream.isTTY ? 1 : 0;
}

// Colour is for terminals only; piped output (scripts, tests, `| head`) need not pay for chalk.
// Set by loadColours() before anything is printed (no top-level await: the bundle is a classic
// script, so that V8 can cache its compiled code; scripts/bundle-cli.mjs).
const levels = [colourLevel(process.stdout), colourLevel(process.stderr)] as const;
let out: Paint = plain;
let err: Paint = plain;

async function loadColours(): Promise<void> {
  if (!levels[0] && !levels[1]) return;
  const { Chalk } = await import('chalk');
  if (levels[0]) out = new Chalk({ level: levels[0] });
  if (levels[1]) err = new Chalk({ level: levels[1] });
}

function printDiagnostics(diagnostics: readonly Diagnostic[], format: string): void {
  if (format === 'json') {
    const d = diagnostics[0]!;
    process.stdout.write(`${jsonText({ error: diagnosticJson(d) })}\n`);
    return;
  }
  for (const d of diagnostics) {
    process.stderr.write(`${renderDiagnostic(d, { severity: (t) => err.red.bold(t), caret: (t) => err.red(t), dim: (t) => err.dim(t) })}\n`);
  }
}

function diagnosticJson(d: Diagnostic): Record<string, unknown> {
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

function readStdin(): string {
  try {
    // `echo … | matcalc grad` ends with a newline that is not part of the expression; an editor
    // may have saved the file with a byte-order mark, which is not part of it either.
    return readFileSync(0, 'utf8').replace(/^\uFEFF/, '').replace(/\s+$/, '');
  } catch {
    return '';
  }
}

interface GradOptions {
  wrt: string;
  dims?: string;
  assume?: string;
  steps?: boolean;
  format: string;
  standalone?: boolean;
  seed: string;
  check: boolean;
  maxNodes?: string;
  structured?: boolean;
}

/** The expression (or standard input) and the numeric options every expression command shares; a usage error's exit code if one is bad. */
function commonOptions(
  expressionArg: string | undefined,
  options: GradOptions,
): { expression: string; seed: number; maxNodes: number | undefined } | number {
  const expression = expressionArg === undefined || expressionArg === '-' ? readStdin() : expressionArg;
  // Digits only (Number('') is 0, Number('0x10') is 16), and exact: above 2^53 a seed would be rounded.
  const seed = /^\d+$/.test(options.seed) ? Number(options.seed) : NaN;
  if (!Number.isSafeInteger(seed)) {
    return usageError(`--seed must be a non-negative integer below 2^53, got '${options.seed}'`, options.format);
  }
  const maxNodes = options.maxNodes === undefined ? undefined : /^\d+$/.test(options.maxNodes) ? Number(options.maxNodes) : NaN;
  if (maxNodes !== undefined && (!Number.isSafeInteger(maxNodes) || maxNodes < 1)) {
    return usageError(`--max-nodes must be a positive integer, got '${options.maxNodes}'`, options.format);
  }
  return { expression, seed, maxNodes };
}

async function runGrad(expressionArg: string | undefined, options: GradOptions): Promise<number> {
  const common = commonOptions(expressionArg, options);
  if (typeof common === 'number') return common;
  const { expression, seed, maxNodes } = common;
  const result = gradient({
    expression,
    wrt: options.wrt,
    dims: options.dims,
    assume: options.assume,
    steps: options.steps || options.format !== 'text',
    check: options.check,
    seed,
    maxNodes,
    structured: !!options.structured,
    sample: options.format === 'numpy' || options.format === 'torch',
  });
  if (!result.ok) {
    printDiagnostics(result.diagnostics, options.format);
    return ExitCode.BadInput;
  }
  const report = result.value;
  const formatter = options.format === 'text' ? undefined : (await import('../emit/formats.js')).FORMATS[options.format];
  if (formatter) {
    process.stdout.write(formatter(report, { steps: !!options.steps, standalone: !!options.standalone }));
  } else {
    printText(report, !!options.steps);
  }
  if (report.check?.status === 'failed') return ExitCode.CheckFailed;
  return ExitCode.Ok;
}

/**
 * The first line of every text answer: the function as matcalc read it, printed from the term (not
 * echoed from the input), so a reader sees how the input was grouped before trusting the result.
 */
function printFunction(f: Term, names: ReadonlyMap<Term, string>): void {
  process.stdout.write(`${out.bold(isScalar(f) ? 'f = ' : 'F = ')}${functionAsRead(f, names, 'text')}\n`);
}

function printText(report: GradientReport, steps: boolean): void {
  const failed = report.check?.status === 'failed';
  printFunction(report.f, report.names);
  if (steps && report.steps) {
    report.steps.forEach((s, i) => {
      const lead = i === 0 ? 'df = ' : '   = ';
      const rule = s.rule === 'start' ? '' : `    ${out.dim(s.rule)}`;
      process.stdout.write(`${lead}${s.text}${rule}\n`);
    });
    process.stdout.write('\n');
  }
  // Several gradients share their definitions: one where-block for all of them.
  const shared = sharedText(report);
  report.gradients.forEach((g, i) => {
    const label = `∇_${textName(g.name)} f = `;
    process.stdout.write(`${failed ? out.red(label) : out.bold(label)}${shared.main[i]}\n`);
  });
  for (const w of shared.where) process.stdout.write(`  where ${w.name} = ${w.text}\n`);
  const shapes = [...report.typed.variables].map(([name, shape]) => `${name}: ${shapeText(shape)}`);
  process.stdout.write(`${out.dim('shapes')}  ${shapes.join(', ')}\n`);
  printCheck(report.check, 'gradient');
  for (const note of report.notes) process.stdout.write(`${out.dim('note')}    ${note}\n`);
}

/** The numeric check's line (stdout), or CHECK FAILED (stderr). */
function printCheck(c: GradientReport['check'], what: string): void {
  if (c) {
    const sizes = Object.entries(c.sizes)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    const detail = `seed ${c.seed}${sizes ? `; ${sizes}` : ''}; ${c.comparisons} comparisons`;
    if (c.status === 'passed') {
      process.stdout.write(`${out.dim('check')}   ${out.green('passed')}: relative error ${c.relativeError.toExponential(1)} against finite differences (${detail})\n`);
    } else if (c.status === 'inconclusive') {
      process.stdout.write(`${out.dim('check')}   ${out.yellow('inconclusive')}: ${c.reason ?? ''} (${detail})\n`);
    } else {
      process.stderr.write(
        `${err.red.bold('CHECK FAILED')}: the ${what} above disagrees with finite differences: ${c.reason ?? ''} (relative error ${c.relativeError.toExponential(2)}; ${detail}). Do not use it; please report this input.\n`,
      );
    }
  } else {
    process.stdout.write(`${out.dim('check')}   skipped (--no-check)\n`);
  }
}

interface DerivativeOptions extends GradOptions {
  layout?: string;
}

const DERIVATIVE_FORMATS = ['text', 'json', 'latex', 'html', 'numpy', 'torch'] as const;

async function runDerivative(command: DerivativeCommand, expressionArg: string | undefined, options: DerivativeOptions): Promise<number> {
  const common = commonOptions(expressionArg, options);
  if (typeof common === 'number') return common;
  const { expression, seed, maxNodes } = common;
  if (!(DERIVATIVE_FORMATS as readonly string[]).includes(options.format)) {
    return usageError(`${command} --format ${options.format} is not available; choose one of ${DERIVATIVE_FORMATS.join(', ')}`, options.format);
  }
  const result = derivative({
    command,
    expression,
    wrt: options.wrt,
    dims: options.dims,
    assume: options.assume,
    steps: !!options.steps || options.format === 'html' || options.format === 'json',
    check: options.check,
    seed,
    maxNodes,
    layout: options.layout === 'denominator' ? 'denominator' : 'numerator',
    sample: options.format === 'numpy' || options.format === 'torch',
  });
  if (!result.ok) {
    printDiagnostics(result.diagnostics, options.format);
    return ExitCode.BadInput;
  }
  const report = result.value;
  if (options.format !== 'text') {
    const { DERIVATIVE_FORMATS: formatters } = await import('../emit/derivative-formats.js');
    process.stdout.write(formatters[options.format]!(report, { steps: !!options.steps, standalone: !!options.standalone }));
  } else {
    await printDerivativeText(report, !!options.steps);
  }
  return report.check?.status === 'failed' ? ExitCode.CheckFailed : ExitCode.Ok;
}

async function printDerivativeText(report: DerivativeReport, steps: boolean): Promise<void> {
  const { derivativeViews, shapesText } = await import('../emit/derivative.js');
  const failed = report.check?.status === 'failed';
  printFunction(report.f, report.names);
  if (steps && report.steps) {
    for (const s of report.steps) {
      const rule = s.rule === 'total' || s.rule === 'grad' ? '' : `    ${out.dim(s.rule)}`;
      process.stdout.write(`${s.text}${rule}\n`);
    }
    process.stdout.write('\n');
  }
  const views = derivativeViews(report);
  for (const line of views.lines) {
    const label = `${line.label} = `;
    process.stdout.write(`${failed ? out.red(label) : out.bold(label)}${line.text}\n`);
    if (line.caption) process.stdout.write(`  ${out.dim(line.caption)}\n`);
  }
  for (const w of views.where) process.stdout.write(`  where ${w.name} = ${w.text}\n`);
  process.stdout.write(`${out.dim('shapes')}  ${shapesText(report.variables)}\n`);
  printCheck(report.check, report.command === 'diff' ? 'differential' : report.command === 'jac' ? 'Jacobian' : 'Hessian');
  for (const note of report.notes) process.stdout.write(`${out.dim('note')}    ${note}\n`);
}

function usageError(message: string, format: string): number {
  if (format === 'json') process.stdout.write(`${jsonText({ error: { code: 'MC2000', id: 'usage', message } })}\n`);
  else process.stderr.write(`${err.red.bold('error')}: ${visibleControls(message)}\n`);
  return ExitCode.BadInput;
}

function runRules(options: { family?: string }): number {
  const book = rulebook();
  if (!book.ok) {
    printDiagnostics(book.diagnostics, 'text');
    return ExitCode.Internal;
  }
  const rules = book.value.rules.filter((r) => !options.family || r.family === options.family);
  for (const family of ['pullback', 'simplify'] as const) {
    const list = rules.filter((r) => r.family === family);
    if (list.length === 0) continue;
    process.stdout.write(`${out.bold(family === 'pullback' ? 'Pullback rules (reverse sweep)' : 'Simplification identities')}\n`);
    for (const r of list.filter((x) => !x.native)) {
      process.stdout.write(`  ${out.cyan(r.id.padEnd(28))} ${r.doc}${r.reference ? out.dim(`  [${r.reference}]`) : ''}\n`);
    }
    const natives = list.filter((x) => x.native);
    if (natives.length > 0) {
      process.stdout.write(`  ${out.dim('native (implemented in code):')}\n`);
      for (const r of natives) process.stdout.write(`  ${out.cyan(r.id.padEnd(28))} ${r.doc}\n`);
    }
  }
  process.stdout.write(`${rules.length} rules\n`);
  return ExitCode.Ok;
}

async function runSchema(): Promise<number> {
  const { jsonSchema } = await import('../emit/schema.js');
  process.stdout.write(`${JSON.stringify(jsonSchema(), null, 2)}\n`);
  return ExitCode.Ok;
}

async function runBatchCommand(file: string | undefined): Promise<number> {
  const { progressBar, readBatchInput, runBatch } = await import('./batch.js');
  const input = readBatchInput(file);
  if (!input.ok) {
    process.stderr.write(`${err.red.bold('error')}: ${visibleControls(input.message)}\n`);
    return ExitCode.BadInput;
  }
  // The bar goes to a terminal only, and only for batches long enough to wait for.
  const showProgress = process.stderr.isTTY === true;
  let drawn = false;
  // Ctrl-C stops the batch between two requests: every line written is a whole JSON line.
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
  };
  process.on('SIGINT', onInterrupt);
  const code = await runBatch(input.text, input.name, {
    interrupted: () => interrupted,
    errorJson: diagnosticJson,
    write: (line) => process.stdout.write(line),
    progress: (done, total) => {
      if (!showProgress || total <= 20) return;
      process.stderr.write(progressBar(done, total));
      drawn = true;
    },
  });
  if (drawn) process.stderr.write('\r\u001b[K');
  process.off('SIGINT', onInterrupt);
  if (code === ExitCode.Interrupted) process.stderr.write('matcalc: interrupted; every line written is complete\n');
  return code;
}

function jsonRequested(argv: readonly string[]): boolean {
  const i = argv.indexOf('--format');
  return (i >= 0 && argv[i + 1] === 'json') || argv.includes('--format=json');
}

/**
 * A list option given twice (`--wrt x --wrt y`) means both lists, as if written `--wrt x,y`;
 * keeping only the last would drop a variable silently. The list parsers refuse duplicates.
 */
function mergeLists(value: string, previous: string | undefined): string {
  return previous === undefined ? value : `${previous},${value}`;
}

/** grad's options that take a value: the word after them is that value, not the expression. */
const GRAD_VALUE_OPTIONS = new Set(['--wrt', '--dims', '--assume', '--format', '--seed', '--max-nodes', '--layout']);
const EXPRESSION_COMMANDS = ['grad', 'diff', 'jac', 'hess'];

/**
 * An expression may start with a minus sign (`-yᵀlog σ(Xw) − …`, a negative log-likelihood), which
 * commander would take for an option. grad has no short options but -h, so a word after `grad`
 * that starts with a single '-' and is not exactly `-h` is the expression (`-h'x` too): it is moved
 * behind `--`, where commander reads it as the positional argument.
 */
function expressionAfterDashes(argv: readonly string[]): string[] {
  const at = argv.findIndex((word) => EXPRESSION_COMMANDS.includes(word));
  if (at < 0 || argv.includes('--')) return [...argv];
  const out = argv.slice(0, at + 1);
  const expressions: string[] = [];
  for (let i = at + 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (GRAD_VALUE_OPTIONS.has(word) && i + 1 < argv.length) {
      out.push(word, argv[++i]!);
    } else if (/^-[^-]/.test(word) && word !== '-h' && !word.includes('=')) {
      expressions.push(word);
    } else {
      out.push(word);
    }
  }
  return expressions.length > 0 ? [...out, '--', ...expressions] : out;
}

async function main(argv: string[]): Promise<number> {
  let code: number = ExitCode.Ok;
  const program = new Command();
  program
    .name('matcalc')
    .description('Symbolic matrix calculus: gradients, differentials, Jacobians and Hessians, each checked against finite differences.')
    .version(packageJson.version)
    .option('--debug', 'show stack traces of internal errors')
    .exitOverride()
    .configureOutput({
      // With --format json, usage errors are printed as JSON on stdout instead (see main's catch).
      writeErr: (s) => {
        if (!jsonRequested(argv) || !s.startsWith('error:')) writeError(s);
      },
    })
    .addHelpText(
      'after',
      `
Examples:
  matcalc grad "aᵀexp(Xb)" --wrt X
  matcalc grad "norm2(A*x-y)^2" --wrt x --steps
  matcalc grad "Y = σ(WX); ⟨Y, MY⟩" --wrt X --format json
  matcalc diff "inv(X)" --wrt X
  matcalc jac "A*x" --wrt x
  matcalc hess "xᵀAx" --wrt x
  matcalc rules
  matcalc batch requests.jsonl > results.jsonl
  matcalc schema

Exit codes: 0 ok, 1 numeric check failed, 2 bad input, 70 internal error, 74 output not written, 130 interrupted.`,
    );

  program
    .command('grad')
    .description('the gradient of a scalar expression')
    .argument('[expression]', "the expression (ASCII or math notation); '-' or omitted: read standard input")
    .requiredOption('--wrt <names>', 'variable(s) to differentiate with respect to, e.g. X or W1,W2', mergeLists)
    .option('--dims <sizes>', 'sizes, e.g. "X=3x4,a=3,c=1" (one number: a column vector; 1: a scalar)', mergeLists)
    .option('--assume <properties>', 'e.g. "S:spd,W:symmetric,x:positive" (symmetric, spd, positive, diagonal)', mergeLists)
    .option('--steps', 'show the derivation, step by step')
    .addOption(new Option('--format <format>', 'output format').choices([...FORMAT_NAMES]).default('text'))
    .option('--standalone', 'with --format latex: a complete .tex document')
    .option('--seed <n>', 'seed of the numeric check', '1')
    .option('--no-check', 'skip the numeric check against finite differences')
    .option('--max-nodes <n>', 'refuse expressions whose graph has more nodes (default 1000000)')
    .option('--structured', 'for a symmetric variable: G + Gᵀ − I ⊙ G, the derivative w.r.t. its free entries')
    .addHelpText(
      'after',
      `
Examples:
  matcalc grad "aᵀexp(Xb)" --wrt X
  matcalc grad "a'*exp(X*b)" --wrt X --dims "X=3x4"
  matcalc grad "Y = σ(WX); ⟨Y, MY⟩" --wrt X --steps
  matcalc grad "norm2(A*x-y)^2" --wrt x --format json
  matcalc grad "xᵀSx" --wrt x --assume S:symmetric
  matcalc grad "log det S - tr(S*C)" --wrt S --assume S:spd --structured
  echo "log(det(X))" | matcalc grad --wrt X`,
    )
    .action(async (expression: string | undefined, options: GradOptions) => {
      code = await runGrad(expression, options);
    });

  const derivativeCommands: { name: DerivativeCommand; description: string; examples: string }[] = [
    {
      name: 'diff',
      description: 'the differential dF of any expression (scalar, vector or matrix), linear in dX',
      examples: `  matcalc diff "A*X*B" --wrt X            # dF = A dX B
  matcalc diff "inv(X)" --wrt X           # dF = −X⁻¹ dX X⁻¹
  matcalc diff "Y = σ(WX); ⟨Y, MY⟩" --wrt W --steps`,
    },
    {
      name: 'jac',
      description: 'the Jacobian (numerator layout by default); vec-Jacobian with Kronecker products for matrices',
      examples: `  matcalc jac "A*x" --wrt x                       # ∂F/∂x = A
  matcalc jac "A*x" --wrt x --layout denominator  # Aᵀ
  matcalc jac "σ(Wx)" --wrt x
  matcalc jac "A*X*B" --wrt X                     # ∂vec(F)/∂vec(X) = (Bᵀ ⊗ A)`,
    },
    {
      name: 'hess',
      description: 'the Hessian of a scalar expression: H[V] for any variable, the matrix for vectors',
      examples: `  matcalc hess "xᵀAx" --wrt x                     # ∇²f = A + Aᵀ
  matcalc hess "-yᵀlog σ(Xw) - (1 - y)ᵀlog(1 - σ(Xw))" --wrt w
  matcalc hess "tr(XᵀAX)" --wrt X                 # H[V] = (A + Aᵀ)V
  matcalc hess "norm2(A*x - y)^2 + λ*xᵀx" --wrt x --format json`,
    },
  ];
  for (const spec of derivativeCommands) {
    const command = program
      .command(spec.name)
      .description(spec.description)
      .argument('[expression]', "the expression (ASCII or math notation); '-' or omitted: read standard input")
      .requiredOption('--wrt <names>', 'variable(s) to differentiate with respect to, e.g. X or x,y', mergeLists)
      .option('--dims <sizes>', 'sizes, e.g. "X=3x4,a=3,c=1" (one number: a column vector; 1: a scalar)', mergeLists)
      .option('--assume <properties>', 'e.g. "S:spd,W:symmetric,x:positive" (symmetric, spd, positive, diagonal)', mergeLists)
      .option('--steps', 'show the derivation (the forward sweep), step by step');
    if (spec.name === 'jac') {
      command.addOption(new Option('--layout <layout>', 'numerator: m×n (rows follow F); denominator: its transpose').choices(['numerator', 'denominator']).default('numerator'));
    }
    command
      .addOption(new Option('--format <format>', 'output format').choices([...DERIVATIVE_FORMATS]).default('text'))
      .option('--standalone', 'with --format latex: a complete .tex document')
      .option('--seed <n>', 'seed of the numeric check', '1')
      .option('--no-check', 'skip the numeric check against finite differences')
      .option('--max-nodes <n>', 'refuse expressions whose graph has more nodes (default 1000000)')
      .addHelpText('after', `\nExamples:\n${spec.examples}`)
      .action(async (expression: string | undefined, options: DerivativeOptions) => {
        code = await runDerivative(spec.name, expression, options);
      });
  }

  program
    .command('rules')
    .description('list the rules: pullback identities and simplification identities')
    .addOption(new Option('--family <family>', 'only one family').choices(['pullback', 'simplify']))
    .addHelpText(
      'after',
      `
Examples:
  matcalc rules                     # every rule, with its id, identity and Cookbook number
  matcalc rules --family pullback   # what the reverse sweep applies at each operator`,
    )
    .action((options: { family?: string }) => {
      code = runRules(options);
    });

  program
    .command('schema')
    .description('print the JSON Schema (draft 2020-12) of every JSON matcalc prints: grad --format json, errors, batch lines')
    .addHelpText(
      'after',
      `
Examples:
  matcalc schema > matcalc.schema.json
  matcalc schema | jq '.$defs.check'`,
    )
    .action(async () => {
      code = await runSchema();
    });

  program
    .command('batch')
    .description('many gradients: JSON Lines requests in, one JSON result (or error) line out per request, in order')
    .argument('[file]', "a JSON Lines file of requests; '-' or omitted: read standard input")
    .addHelpText(
      'after',
      `
Each line is a request: {"expr": …, "wrt": …, "dims"?: …, "assume"?: …, "seed"?: …, "id"?: …,
"command"?: "grad" | "diff" | "jac" | "hess", "layout"?: …, "structured"?: …}
(wrt: "X", "W1,W2" or a list; dims and assume as for grad; id: echoed in the output line; command:
grad unless given; layout: jac only; structured: grad only).
Each output line is the object of '<command> --format json' (with "id"), or {"error": {…}, "id": …}.
A bad line is an error line with its line number; the batch goes on. Blank lines are skipped.
Exit code: 2 if any line was bad input, else 1 if any numeric check failed, else 0.
The schema of the output lines: matcalc schema.

Examples:
  matcalc batch requests.jsonl > results.jsonl
  printf '%s\\n' '{"expr": "aᵀexp(Xb)", "wrt": "X", "id": 1}' '{"expr": "xᵀSx", "wrt": "x", "assume": "S:spd"}' | matcalc batch
  echo '{"expr": "norm2(A*x-y)^2", "wrt": "x", "dims": "A=5x3", "seed": 7}' | matcalc batch -`,
    )
    .action(async (file: string | undefined) => {
      code = await runBatchCommand(file);
    });

  if (argv.length <= 2) {
    // No command: show what there is, as an error (a script that forgot the command must notice).
    program.outputHelp({ error: true });
    return ExitCode.BadInput;
  }
  try {
    await program.parseAsync(expressionAfterDashes(argv));
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return ExitCode.Ok;
      if (jsonRequested(argv)) {
        process.stdout.write(`${jsonText({ error: { code: 'MC2000', id: 'usage', message: error.message.replace(/^error: /, '') } })}\n`);
      }
      return ExitCode.BadInput;
    }
    throw error;
  }
  return code;
}

async function run(): Promise<void> {
  try {
    await loadColours();
    process.exitCode = await main(process.argv);
  } catch (error) {
    const errno = error as NodeJS.ErrnoException;
    if (errno?.syscall === 'write') writeFailed(process.stdout, errno);
    const debug = process.argv.includes('--debug');
    const message = error instanceof Error ? error.message : String(error);
    if (jsonRequested(process.argv)) {
      // A program reading --format json reads stdout: it gets an error document there too.
      const { INTERNAL_ERROR_CODE, REQUEST_ERROR_IDS } = await import('../emit/schema.js');
      const report = `internal error (a bug in matcalc, please report it): ${message}`;
      process.stdout.write(`${jsonText({ error: { code: INTERNAL_ERROR_CODE, id: REQUEST_ERROR_IDS.internal, message: report } })}\n`);
    }
    process.stderr.write(`${err.red.bold('internal error')}: ${visibleControls(message)}\nThis is a bug in matcalc, not in your input. Please report it with the command line above.\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    else process.stderr.write('(run with --debug for details)\n');
    process.exitCode = ExitCode.Internal;
  }
}

void run();
