import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { jsonText, visibleControls } from '../emit/escape.js';
import { FORWARD_CODE_RULES, listRules } from '../rewrite/listing.js';
import { rulebook } from '../pipeline.js';
import { BATCH_WORKER_ENV } from './batch-worker-mark.js';
import { ExitCode } from './exit-codes.js';
import { addExpressionCommands } from './expression-command.js';
import { registerCompletion } from './completion.js';
import { registerPlayground } from './playground.js';
import { diagnosticJson, loadColours, paint, printDiagnostics, usageError, writeError, writeFailed } from './output.js';

/**
 * The command line: commander and chalk live here only; everything else is the library.
 * Start-up matters (a shell loop runs this once per gradient), so what only one command or one
 * --format needs (formatters, the JSON Schema, batch) is imported when it is used.
 */

/**
 * package.json's version, read when the command tree is built: in the start-up snapshot, from the
 * package that built it (the blob is built with the package and shipped in it), else at start.
 */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

function runRules(options: { family?: string }): number {
  const book = rulebook();
  if (!book.ok) {
    printDiagnostics(book.diagnostics, 'text');
    return ExitCode.Internal;
  }
  const groups = listRules(book.value, options.family as 'pullback' | 'simplify' | undefined);
  let family: string | undefined;
  for (const group of groups) {
    if (group.family !== family) {
      family = group.family;
      process.stdout.write(`${paint.out.bold(family === 'pullback' ? 'Pullback rules (reverse sweep)' : 'Simplification identities')}\n`);
    }
    process.stdout.write(`  ${paint.out.dim(`${group.title}:`)}\n`);
    for (const r of group.rules) {
      process.stdout.write(`  ${paint.out.cyan(r.id.padEnd(28))} ${r.doc}${r.reference ? paint.out.dim(`  [${r.reference}]`) : ''}\n`);
    }
  }
  if (options.family !== 'simplify') {
    process.stdout.write(`${paint.out.bold('Forward sweep (diff, jac, hess)')}\n`);
    process.stdout.write(`  ${paint.out.dim('every pullback rule above, read backwards: its steps are named fwd.<name> for pull.<name>; and in code:')}\n`);
    for (const [id, doc] of Object.entries(FORWARD_CODE_RULES)) process.stdout.write(`  ${paint.out.cyan(id.padEnd(28))} ${doc}\n`);
  }
  process.stdout.write(`${groups.reduce((n, g) => n + g.rules.length, 0)} rules\n`);
  return ExitCode.Ok;
}

async function runSchema(): Promise<number> {
  const { jsonSchema } = await import('../emit/schema.js');
  process.stdout.write(`${JSON.stringify(jsonSchema(), null, 2)}\n`);
  return ExitCode.Ok;
}

async function runBatchCommand(file: string | undefined, options: { jobs: number; check: boolean }): Promise<number> {
  const { progressBar, readBatchInput } = await import('./batch.js');
  const { runBatchJobs } = await import('./batch-jobs.js');
  const input = readBatchInput(file);
  if (!input.ok) {
    process.stderr.write(`${paint.err.red.bold('error')}: ${visibleControls(input.message)}\n`);
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
  const batchOptions = {
    check: options.check,
    interrupted: () => interrupted,
    errorJson: diagnosticJson,
    write: (line: string) => process.stdout.write(line),
    progress: (done: number, total: number) => {
      if (!showProgress || total <= 20) return;
      process.stderr.write(progressBar(done, total));
      drawn = true;
    },
  };
  const code = await runBatchJobs(input.text, input.name, batchOptions, options.jobs);
  if (drawn) process.stderr.write('\r\u001b[K');
  process.off('SIGINT', onInterrupt);
  if (code === ExitCode.Interrupted) process.stderr.write('matcalc: interrupted; every line written is complete\n');
  return code;
}

/** `batch --stream`: standard input answered line by line until it closes (or SIGINT). */
async function runBatchStreamCommand(file: string | undefined, check: boolean): Promise<number> {
  if (file !== undefined && file !== '-') {
    process.stderr.write(`${paint.err.red.bold('error')}: --stream reads standard input; use 'matcalc batch --stream < ${visibleControls(file)}'\n`);
    return ExitCode.BadInput;
  }
  const { runBatchStream } = await import('./batch.js');
  let interrupted = false;
  const abort = new AbortController();
  const onInterrupt = () => {
    interrupted = true;
    abort.abort();
  };
  process.on('SIGINT', onInterrupt);
  const code = await runBatchStream(process.stdin, '<stdin>', {
    check,
    interrupted: () => interrupted,
    signal: abort.signal,
    errorJson: diagnosticJson,
    write: (line) => process.stdout.write(line),
  });
  process.off('SIGINT', onInterrupt);
  // Interrupted while waiting, standard input is still open and would keep the process alive.
  process.stdin.destroy();
  if (code === ExitCode.Interrupted) process.stderr.write('matcalc: interrupted; every line written is complete\n');
  return code;
}

function jsonRequested(argv: readonly string[]): boolean {
  const i = argv.indexOf('--format');
  return (i >= 0 && argv[i + 1] === 'json') || argv.includes('--format=json');
}

/** The expression commands' options that take a value: the word after them is that value, not the expression. */
const GRAD_VALUE_OPTIONS = new Set(['--wrt', '--dims', '--assume', '--function', '--elementwise', '--format', '--seed', '--max-nodes', '--layout']);
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

/**
 * What the command tree's actions and output hooks read and write: the arguments of this run and
 * the exit code its action sets. Module state rather than locals of main, because the tree is built
 * once, before any run (see commandLine).
 */
const current = { argv: [] as string[], code: ExitCode.Ok as number };

let program: Command | undefined;

/**
 * The command tree, built on first use. The start-up snapshot builds it (snapshot.ts), so a run from
 * the snapshot starts with it made (~13 M instructions, 2.6 % of `node -e 0`, callgrind); nothing in
 * it may hold what belongs to one run (streams, the environment, the arguments): its hooks read
 * `current` and the process when called.
 */
export function commandLine(): Command {
  program ??= buildCommandLine();
  return program;
}

function buildCommandLine(): Command {
  const setCode = (code: number): void => {
    current.code = code;
  };
  const program = new Command();
  program
    .name('matcalc')
    .description('Symbolic matrix calculus: gradients, differentials, Jacobians and Hessians, each checked against finite differences.')
    .version(packageVersion())
    .option('--debug', 'show stack traces of internal errors')
    .exitOverride()
    .configureOutput({
      // With --format json, usage errors are printed as JSON on stdout instead (see main's catch).
      writeErr: (s) => {
        if (!jsonRequested(current.argv) || !s.startsWith('error:')) writeError(s);
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

  addExpressionCommands(program, setCode);

  program
    .command('rules')
    .description('list the rules that run: pullback identities and simplification identities, applied from rules/ or by code')
    .addOption(new Option('--family <family>', 'only one family').choices(['pullback', 'simplify']))
    .addHelpText(
      'after',
      `
Examples:
  matcalc rules                     # every rule, with its id, identity and Cookbook number
  matcalc rules --family pullback   # what the reverse sweep applies at each operator`,
    )
    .action((options: { family?: string }) => {
      setCode(runRules(options));
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
      setCode(await runSchema());
    });

  program
    .command('batch')
    .description('many gradients: JSON Lines requests in, one JSON result (or error) line out per request, in order')
    .argument('[file]', "a JSON Lines file of requests; '-' or omitted: read standard input")
    .option('--stream', 'answer each line of standard input as soon as it is read (for a program that keeps the pipe open)')
    .option('--jobs <n>', 'answer on n worker threads (the same output in the same order; pays on long batches with free cores)', '1')
    .option('--no-check', 'skip the numeric check against finite differences')
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
    .action(async (file: string | undefined, options: { stream?: boolean; jobs: string; check: boolean }) => {
      const jobs = Number(options.jobs);
      if (!/^\d+$/.test(options.jobs) || jobs < 1 || jobs > 64) setCode(usageError(`--jobs takes a whole number from 1 to 64, got '${options.jobs}'`, 'text'));
      else if (options.stream === true && jobs > 1) setCode(usageError('--jobs answers a whole file; --stream answers line by line, on one thread', 'text'));
      else setCode(options.stream === true ? await runBatchStreamCommand(file, options.check) : await runBatchCommand(file, { jobs, check: options.check }));
    });

  registerPlayground(program, setCode);
  registerCompletion(program, setCode);
  return program;
}

async function main(argv: string[]): Promise<number> {
  current.argv = argv;
  current.code = ExitCode.Ok;
  const program = commandLine();
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
  return current.code;
}

/** The command line: main.ts runs it; the start-up snapshot (snapshot.ts) runs it when it starts. */
export async function run(): Promise<void> {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => writeFailed(stream, error));
  }
  // A worker thread of `batch --jobs` (batch-jobs.ts starts this file with this mark): it answers
  // the chunks it is sent and parses no command line.
  // The environment mark only decides whether to look: node:worker_threads is loaded for a batch
  // worker alone (it costs a few milliseconds of every start), and the mark alone makes no worker.
  if (process.env[BATCH_WORKER_ENV] === '1') {
    // Required, not imported: the bundle is a classic script, which has no dynamic import of its own.
    const { isMainThread, workerData } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    if (!isMainThread && (workerData as { matcalcBatchWorker?: boolean } | undefined)?.matcalcBatchWorker === true) {
      const { serveBatchChunks } = await import('./batch-jobs.js');
      serveBatchChunks(diagnosticJson);
      return;
    }
  }
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
    process.stderr.write(`${paint.err.red.bold('internal error')}: ${visibleControls(message)}\nThis is a bug in matcalc, not in your input. Please report it with the command line above.\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    else process.stderr.write('(run with --debug for details)\n');
    process.exitCode = ExitCode.Internal;
  }
}

