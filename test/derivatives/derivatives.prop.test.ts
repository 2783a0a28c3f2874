import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { asciiProgram, emitAscii } from '../../src/emit/ascii.js';
import { derivative } from '../../src/pipeline.js';
import type { DerivativeCommand, Report } from '../../src/report.js';
import type { Term } from '../../src/term/term.js';
import { gradientCase, replay, type GradientCase } from '../helpers/arbitraries.js';
import { derivativeBlocks } from '../../src/emit/blocks.js';

/**
 * diff and hess on random well-shaped scalar expressions (the generator of the gradient properties):
 * every differential and every Hessian-vector product H[V] must pass the numeric check, which
 * compares it with central differences of f (diff) or of the gradient (hess), and every matrix read
 * off with the differential itself. Fixed seeds: CI sees the same cases every run; for a longer hunt
 * MATCALC_PROP_SCALE multiplies the runs and MATCALC_PROP_SEED shifts the seeds.
 */
const SCALE = Number(process.env.MATCALC_PROP_SCALE ?? 1);
const SHIFT = Number(process.env.MATCALC_PROP_SEED ?? 0);
const RUNS = Math.round(120 * SCALE);
const MAX_INCONCLUSIVE = 0.08;

function ascii(t: Term): string {
  try {
    return asciiProgram(emitAscii([t]));
  } catch (error) {
    return `<unprintable: ${String(error)}>`;
  }
}

function run(command: DerivativeCommand, c: GradientCase): Report {
  const wrt = c.wrt[0]!;
  let result;
  try {
    result = derivative({ command, expression: c.expression, wrt, dims: c.dims, seed: c.seed });
  } catch (error) {
    throw new Error(`matcalc ${command} threw: ${(error as Error).message}\n${replay(c)}\n${(error as Error).stack ?? ''}`);
  }
  if (!result.ok) throw new Error(`matcalc ${command} rejected a well-shaped expression: ${result.diagnostics[0]!.message}\n${replay(c)}`);
  return result.value;
}

describe.each(['diff', 'jac', 'hess'] as const)('%s on random expressions', (command) => {
  test('passes the numeric check (few inconclusive)', () => {
    const inconclusive: string[] = [];
    let total = 0;
    fc.assert(
      fc.property(gradientCase(), (c) => {
        total++;
        const report = run(command, c);
        const check = report.check!;
        if (check.status === 'inconclusive') {
          inconclusive.push(`${check.reason ?? '(no reason)'}\n  ${replay(c)}`);
          return;
        }
        if (check.status !== 'passed') {
          const shown = derivativeBlocks(report).map((b) => `  ${b.wrt}: ${ascii(b.linear)}${b.matrix ? `\n  matrix: ${ascii(b.matrix)}` : ''}`).join('\n');
          throw new Error(`${command}: numeric check ${check.status}: ${check.reason ?? ''}\n${shown}\n${replay(c).replace('matcalc grad', `matcalc ${command}`)}`);
        }
      }),
      { seed: { diff: 9001, jac: 9003, hess: 9002 }[command] + SHIFT, numRuns: RUNS },
    );
    expect(inconclusive.length / total, `${inconclusive.length} of ${total} inconclusive:\n${inconclusive.join('\n')}`).toBeLessThanOrEqual(MAX_INCONCLUSIVE);
  }, 120_000);
});
