import { describe, expect, it } from 'vitest';
import { GOLDEN_DIRS, listExamples, type Example } from '../helpers/examples.js';
import { matcalc, type Run } from '../json/helpers.js';

/**
 * Determinism (issue 6): the symbolic output is byte-identical across runs, seeds, locales, time
 * zones and the order in which one process meets its inputs; the numeric output is identical for a
 * given seed. Runs the built `bin` (`npm test` builds first).
 */


/** The built CLI with extra environment variables (NO_COLOR set). */
function run(args: readonly string[], env: Record<string, string>, input = ''): Promise<Run> {
  return matcalc(args, input, env);
}

const ENV_A = { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' };
const ENV_B = { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' };

const examples = listExamples(GOLDEN_DIRS);

function gradArgs(e: Example, extra: readonly string[]): string[] {
  const args = ['grad', e.expression, '--wrt', e.wrt];
  if (e.dims !== undefined) args.push('--dims', e.dims);
  if (e.assume !== undefined) args.push('--assume', e.assume);
  return [...args, ...extra];
}

/** The text output without the numeric check's line (which names the seed and its figures). */
function symbolicPart(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('check '))
    .join('\n');
}

/** A JSON result without its numeric check. */
function symbolicJson(line: string): unknown {
  const { check: _check, ...rest } = JSON.parse(line) as Record<string, unknown>;
  return rest;
}

function request(e: Example, id: number, seed: number): string {
  return JSON.stringify({ expr: e.expression, wrt: e.wrt, dims: e.dims, assume: e.assume, seed, id });
}

describe('determinism of the output', () => {
  it('has golden examples to try', () => {
    expect(examples.length).toBeGreaterThanOrEqual(20);
  });

  // One process meets the examples in one order, another in the reverse order (and a third with other
  // seeds): hash-consing numbers terms by creation, so anything ordered by term identity would show here.
  it('batch: every result is the same whatever the order of the requests, and the seed changes only the check', { timeout: 120_000 }, async () => {
    const forward = examples.map((e, i) => request(e, i, 1));
    const backward = [...forward].reverse();
    const reseeded = examples.map((e, i) => request(e, i, 7));
    const [a, b, c] = await Promise.all([
      run(['batch'], ENV_A, forward.join('\n')),
      run(['batch'], ENV_B, backward.join('\n')),
      run(['batch'], ENV_A, reseeded.join('\n')),
    ]);
    for (const r of [a, b, c]) expect(r.stderr).toBe('');
    const byId = (r: Run) => new Map(r.stdout.trimEnd().split('\n').map((l) => [(JSON.parse(l) as { id: number }).id, l] as const));
    const [la, lb, lc] = [byId(a), byId(b), byId(c)];
    expect(la.size).toBe(examples.length);
    examples.forEach((e, i) => {
      // Same seed: byte-identical, the numeric check included.
      expect(lb.get(i), `${e.name}: forward vs reverse order`).toBe(la.get(i));
      // Another seed: identical but for the check.
      expect(symbolicJson(lc.get(i)!), `${e.name}: seed 1 vs seed 7`).toEqual(symbolicJson(la.get(i)!));
    });
  });

  // Found by this test's author: tr(BCA) was rotated by term id, and ids depended on the requests before.
  it('batch: a request after another that met its variables in another order gives what it gives alone', { timeout: 60_000 }, async () => {
    const dims = 'A=3x3,B=3x3,C=3x3,X=3x3';
    const warmUp = JSON.stringify({ expr: 'sum(C) + sum(B) + sum(A) + sum(X)', wrt: 'A', dims, id: 0 });
    const target = JSON.stringify({ expr: 'tr(B*C*A)*tr(X) + tr(C*X*B*A)', wrt: 'X', dims, id: 1 });
    const [after, alone, grad] = await Promise.all([
      run(['batch'], ENV_A, `${warmUp}\n${target}\n`),
      run(['batch'], ENV_A, `${target}\n`),
      run(['grad', 'tr(B*C*A)*tr(X) + tr(C*X*B*A)', '--wrt', 'X', '--dims', dims, '--format', 'json'], ENV_A),
    ]);
    const second = after.stdout.trimEnd().split('\n')[1]!;
    expect(second).toBe(alone.stdout.trimEnd());
    const { id: _id, ...fromBatch } = JSON.parse(second) as Record<string, unknown>;
    const { steps: _steps, ...fromGrad } = JSON.parse(grad.stdout) as Record<string, unknown>;
    const { steps: _batchSteps, ...fromBatchNoSteps } = fromBatch;
    expect(fromBatchNoSteps).toEqual(fromGrad);
  });

  it('grad: the same text across runs, seeds, locales and time zones', { timeout: 120_000 }, async () => {
    const chosen = examples.filter((_, i) => i % 4 === 0);
    for (const e of chosen) {
      const [first, again, other, reseeded] = await Promise.all([
        run(gradArgs(e, ['--steps']), ENV_A),
        run(gradArgs(e, ['--steps']), ENV_A),
        run(gradArgs(e, ['--steps']), ENV_B),
        run(gradArgs(e, ['--steps', '--seed', '12345']), ENV_B),
      ]);
      expect(first.code, `${e.name}: ${first.stderr}`).toBe(0);
      expect(again.stdout, `${e.name}: run twice`).toBe(first.stdout);
      expect(other.stdout, `${e.name}: LANG=tr_TR.UTF-8, another TZ`).toBe(first.stdout);
      expect(symbolicPart(reseeded.stdout), `${e.name}: --seed 12345`).toBe(symbolicPart(first.stdout));
      expect(reseeded.stdout).toContain('seed 12345');
    }
  });

  it('grad --format json and latex: identical across locales and seeds but for the check', { timeout: 60_000 }, async () => {
    const e = examples.find((x) => x.expression.includes('σ')) ?? examples[0]!;
    const [a, b] = await Promise.all([run(gradArgs(e, ['--format', 'json', '--steps']), ENV_A), run(gradArgs(e, ['--format', 'json', '--steps', '--seed', '99']), ENV_B)]);
    expect(symbolicJson(b.stdout)).toEqual(symbolicJson(a.stdout));
    const [la, lb] = await Promise.all([run(gradArgs(e, ['--format', 'latex', '--no-check']), ENV_A), run(gradArgs(e, ['--format', 'latex', '--no-check', '--seed', '5']), ENV_B)]);
    expect(lb.stdout).toBe(la.stdout);
  });
});
