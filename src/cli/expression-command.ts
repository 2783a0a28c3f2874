import { readFileSync } from 'node:fs';
import { Command as Program, Option } from 'commander';
import { FORMAT_NAMES } from '../emit/format-names.js';
import { parsePointJson, type PointValue } from '../shape/point.js';
import { run } from '../pipeline.js';
import type { Command } from '../report.js';
import { ExitCode } from './exit-codes.js';
import { FORMAT_LOADERS } from './format-loader.js';
import { printDiagnostics, usageError } from './output.js';
import { printText } from './print-text.js';

/**
 * grad, diff, jac and hess: one declaration of their options, one path from the command line to the
 * pipeline and to a format. What differs between the commands is data (COMMANDS): the description,
 * the examples, the one option only some have (--layout for jac, --structured for grad).
 */

interface ExpressionOptions {
  wrt: string;
  dims?: string;
  assume?: string;
  function?: string;
  elementwise?: string;
  steps?: boolean;
  format: string;
  standalone?: boolean;
  seed: string;
  check: boolean;
  maxNodes?: string;
  structured?: boolean;
  layout?: string;
  at?: string;
  atFile?: string;
}

interface CommandSpec {
  readonly name: Command;
  readonly description: string;
  readonly wrtExample: string;
  readonly stepsHelp: string;
  /** Options only this command has, declared where they appear in its help. */
  readonly before?: 'layout';
  readonly after?: 'structured';
  readonly examples: string;
}

const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'grad',
    description: 'the gradient of a scalar expression',
    wrtExample: 'X or W1,W2',
    stepsHelp: 'show the derivation, step by step',
    after: 'structured',
    examples: `  matcalc grad "aᵀexp(Xb)" --wrt X
  matcalc grad "a'*exp(X*b)" --wrt X --dims "X=3x4"
  matcalc grad "Y = σ(WX); ⟨Y, MY⟩" --wrt X --steps
  matcalc grad "norm2(A*x-y)^2" --wrt x --format json
  matcalc grad "xᵀSx" --wrt x --assume S:symmetric
  matcalc grad "log det S - tr(S*C)" --wrt S --assume S:spd --structured
  echo "log(det(X))" | matcalc grad --wrt X`,
  },
  {
    name: 'diff',
    description: 'the differential dF of any expression (scalar, vector or matrix), linear in dX',
    wrtExample: 'X or x,y',
    stepsHelp: 'show the derivation (the forward sweep), step by step',
    examples: `  matcalc diff "A*X*B" --wrt X            # dF = A dX B
  matcalc diff "inv(X)" --wrt X           # dF = −X⁻¹ dX X⁻¹
  matcalc diff "Y = σ(WX); ⟨Y, MY⟩" --wrt W --steps`,
  },
  {
    name: 'jac',
    description: 'the Jacobian (numerator layout by default); vec-Jacobian with Kronecker products for matrices',
    wrtExample: 'X or x,y',
    stepsHelp: 'show the derivation (the forward sweep), step by step',
    before: 'layout',
    examples: `  matcalc jac "A*x" --wrt x                       # ∂F/∂x = A
  matcalc jac "A*x" --wrt x --layout denominator  # Aᵀ
  matcalc jac "σ(Wx)" --wrt x
  matcalc jac "A*X*B" --wrt X                     # ∂vec(F)/∂vec(X) = (Bᵀ ⊗ A)`,
  },
  {
    name: 'hess',
    description: 'the Hessian of a scalar expression: H[V] for any variable, the matrix for vectors',
    wrtExample: 'X or x,y',
    stepsHelp: 'show the derivation (the forward sweep), step by step',
    examples: `  matcalc hess "xᵀAx" --wrt x                     # ∇²f = A + Aᵀ
  matcalc hess "-yᵀlog σ(Xw) - (1 - y)ᵀlog(1 - σ(Xw))" --wrt w
  matcalc hess "tr(XᵀAX)" --wrt X                 # H[V] = (A + Aᵀ)V
  matcalc hess "norm2(A*x - y)^2 + λ*xᵀx" --wrt x --format json`,
  },
];

/** The formats that print the derivation whether or not --steps is given. */
const FORMATS_WITH_STEPS = new Set(['json', 'html']);
/** The formats that embed drawn inputs (a module's self-check). */
const FORMATS_WITH_SAMPLE = new Set(['numpy', 'torch', 'torch-autograd', 'jax']);
/** Formats whose code has a backward: diff and jac compute F's pullback for it (report.ts Pullback). */
const FORMATS_WITH_PULLBACK = new Set(['torch-autograd', 'jax']);

/**
 * A list option given twice (`--wrt x --wrt y`) means both lists, as if written `--wrt x,y`;
 * keeping only the last would drop a variable silently. The list parsers refuse duplicates.
 */
function mergeLists(value: string, previous: string | undefined): string {
  return previous === undefined ? value : `${previous},${value}`;
}

/** Declares grad, diff, jac and hess on the program; `done` receives each run's exit code. */
export function addExpressionCommands(program: Program, done: (code: number) => void): void {
  for (const spec of COMMANDS) {
    const command = program
      .command(spec.name)
      .description(spec.description)
      .argument('[expression]', "the expression (ASCII or math notation); '-' or omitted: read standard input")
      .requiredOption('--wrt <names>', `variable(s) to differentiate with respect to, e.g. ${spec.wrtExample}`, mergeLists)
      .option('--dims <sizes>', 'sizes, e.g. "X=3x4,a=3,c=1" (one number: a column vector; 1: a scalar)', mergeLists)
      .option('--assume <properties>', 'e.g. "S:spd,W:symmetric,x:positive" (symmetric, spd, positive, diagonal, probability, row-stochastic, column-stochastic, sign)', mergeLists)
      .option('--function <names>', 'abstract scalar functions, e.g. f: f(Y) keeps ∇f(Y) in the answer', mergeLists)
      .option('--elementwise <names>', 'abstract element-wise functions, e.g. g: g(Y) keeps g′(Y) in the answer', mergeLists)
      .option('--steps', spec.stepsHelp)
      .option('--at <values>', 'evaluate at a point, e.g. "x=-2, y=5" or "a=[1,2,3], W=[[1,2],[3,4]]" (sizes come from the values)', mergeLists)
      .option('--at-file <file>', 'evaluate at the point in a JSON file, e.g. {"x": -2, "W": [[1, 2], [3, 4]]}');
    if (spec.before === 'layout') {
      command.addOption(new Option('--layout <layout>', 'numerator: m×n (rows follow F); denominator: its transpose').choices(['numerator', 'denominator']).default('numerator'));
    }
    command
      .addOption(new Option('--format <format>', 'output format').choices([...FORMAT_NAMES]).default('text'))
      .option('--standalone', 'with --format latex: a complete .tex document')
      .option('--seed <n>', 'seed of the numeric check', '1')
      .option('--no-check', 'skip the numeric check against finite differences')
      .option('--max-nodes <n>', 'refuse expressions whose graph has more nodes (default 1000000)');
    if (spec.after === 'structured') {
      command.option('--structured', 'for a symmetric variable: G + Gᵀ − I ⊙ G, the derivative w.r.t. its free entries');
    }
    command.addHelpText('after', `\nExamples:\n${spec.examples}`).action(async (expression: string | undefined, options: ExpressionOptions) => {
      done(await runExpressionCommand(spec.name, expression, options));
    });
  }
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

/** The expression (or standard input) and the numeric options every expression command shares; a usage error's exit code if one is bad. */
function commonOptions(
  expressionArg: string | undefined,
  options: ExpressionOptions,
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

/** --at as text (the pipeline parses it, with carets), or --at-file read and parsed here; an exit code if unreadable. */
function readAt(options: ExpressionOptions): string | ReadonlyMap<string, PointValue> | undefined | number {
  if (options.at !== undefined && options.atFile !== undefined) return usageError('give --at or --at-file, not both', options.format);
  if (options.atFile === undefined) return options.at;
  let text: string;
  try {
    text = readFileSync(options.atFile, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    return usageError(`--at-file: cannot read ${options.atFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, options.format);
  }
  const parsed = parsePointJson(text, options.atFile);
  if (!parsed.ok) {
    printDiagnostics(parsed.diagnostics, options.format);
    return ExitCode.BadInput;
  }
  return parsed.value;
}

async function runExpressionCommand(command: Command, expressionArg: string | undefined, options: ExpressionOptions): Promise<number> {
  const common = commonOptions(expressionArg, options);
  if (typeof common === 'number') return common;
  const { expression, seed, maxNodes } = common;
  const at = readAt(options);
  if (typeof at === 'number') return at;
  const shared = {
    expression,
    wrt: options.wrt,
    dims: options.dims,
    assume: options.assume,
    ...(options.function !== undefined ? { functions: options.function } : {}),
    ...(options.elementwise !== undefined ? { elementwise: options.elementwise } : {}),
    steps: !!options.steps || FORMATS_WITH_STEPS.has(options.format),
    check: options.check,
    seed,
    maxNodes,
    sample: FORMATS_WITH_SAMPLE.has(options.format),
    ...(at !== undefined ? { at } : {}),
  };
  const result =
    command === 'grad'
      ? run({ ...shared, command, structured: !!options.structured })
      : run({ ...shared, command, layout: options.layout === 'denominator' ? 'denominator' : 'numerator', pullback: FORMATS_WITH_PULLBACK.has(options.format) });
  if (!result.ok) {
    printDiagnostics(result.diagnostics, options.format);
    return ExitCode.BadInput;
  }
  const report = result.value;
  if (options.format === 'jax') {
    const { jaxRefusal } = await import('../emit/jax.js');
    const refusal = jaxRefusal(report);
    if (refusal !== undefined) return usageError(refusal, options.format);
  }
  if (options.format === 'text') {
    const { textAnswer } = await import('../emit/text-answer.js');
    printText(textAnswer(report), report.check, !!options.steps, report.notes);
  } else {
    const format = await FORMAT_LOADERS[options.format]!();
    process.stdout.write(format(report, { steps: !!options.steps, standalone: !!options.standalone }));
  }
  return report.check?.status === 'failed' ? ExitCode.CheckFailed : ExitCode.Ok;
}
