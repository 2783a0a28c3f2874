import { whereBlock, type TextAnswer } from '../emit/text-answer.js';
import type { CheckReport } from '../verify/finite-difference.js';
import { paint } from './output.js';

/**
 * `--format text`, the terminal answer of every command: the answer's parts (emit/text-answer.ts),
 * painted. The function as read comes first, printed from the term (not echoed from the input), so a
 * reader sees how the input was grouped before trusting the result; a failed check turns the labels red.
 */
export function printText(answer: TextAnswer, check: CheckReport | undefined, steps: boolean, notes: readonly string[]): void {
  const { out } = paint;
  const write = (text: string) => process.stdout.write(text);
  write(`${out.bold(answer.function.label)}${answer.function.text}\n`);
  if (steps && answer.steps) {
    for (const s of answer.steps) write(`${s.text}${s.rule === undefined ? '' : `    ${out.dim(s.rule)}`}\n`);
    write('\n');
  }
  const failed = check?.status === 'failed';
  for (const line of answer.lines) {
    const label = `${line.label} = `;
    write(`${failed ? out.red(label) : out.bold(label)}${line.text}\n`);
    if (line.caption) write(`  ${out.dim(line.caption)}\n`);
  }
  for (const line of whereBlock(answer.where)) write(`${line}\n`);
  for (const line of answer.at ?? []) write(`${line}\n`);
  write(`${out.dim('shapes')}  ${answer.shapes}\n`);
  printCheck(check, answer.what);
  for (const note of notes) write(`${out.dim('note')}    ${note}\n`);
}

/** The numeric check's line (stdout), or CHECK FAILED (stderr). */
function printCheck(c: CheckReport | undefined, what: string): void {
  const { out, err } = paint;
  if (!c) {
    process.stdout.write(`${out.dim('check')}   skipped (--no-check)\n`);
    return;
  }
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
}
