import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchFolders } from '../helpers/scratch.js';
import { matcalc, type Run } from './helpers.js';

/**
 * `matcalc batch --jobs N` (src/cli/batch-jobs.ts) answers on worker threads and must write exactly
 * what one thread writes: the same bytes, in input order, with the same exit code, whatever order the
 * workers finish in. The batch mixes gradients of every kind, other commands, bad lines and errors,
 * and is long enough to be cut into several chunks (64 lines each) shared by the workers.
 */
const EXPRESSIONS: readonly [string, string, Record<string, unknown>?][] = [
  ["a'*X*b", 'X'],
  ['tr(A*X*B)', 'X'],
  ["x'*A*x", 'x'],
  ['norm2(A*x - y)^2', 'x', { dims: 'A=5x3' }],
  ['logdet(X)', 'X'],
  ['sum(exp(X*b))', 'X'],
  ['Y = σ(W*x); sum(Y)', 'W'],
  ["x'*S*x", 'x', { assume: 'S:spd' }],
  ['tr(inv(X)*A)', 'X'],
  ['X*x', 'X', { command: 'jac' }],
  ["x'*A*x", 'x', { command: 'hess' }],
  ['sum(log(x))', 'x', { command: 'diff' }],
  ['x +', 'x'], // a syntax error
  ['A*B', 'A'], // not a scalar
];

function batch(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 37 === 5) lines.push('not json');
    else if (i % 41 === 7) lines.push('');
    else {
      const [expr, wrt, extra] = EXPRESSIONS[i % EXPRESSIONS.length]!;
      // Mostly a different text each time (a term that is zero, a different constant), as a real batch is.
      const plain = i % 3 === 0 || expr.includes('=') || extra?.command !== undefined;
      lines.push(JSON.stringify({ expr: plain ? expr : `${expr} + 0*${i}`, wrt, id: i, ...extra }));
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('matcalc batch --jobs', () => {
  const scratch = scratchFolders('jobs');
  let dir: string;
  let one: Run;
  let three: Run;
  let checkedOne: Run;
  let checkedTwo: Run;

  beforeAll(async () => {
    dir = scratch();
    writeFileSync(path.join(dir, 'long.jsonl'), batch(200));
    writeFileSync(path.join(dir, 'checked.jsonl'), batch(90));
    [one, three, checkedOne, checkedTwo] = await Promise.all([
      matcalc(['batch', '--no-check', path.join(dir, 'long.jsonl')]),
      matcalc(['batch', '--no-check', '--jobs', '3', path.join(dir, 'long.jsonl')]),
      matcalc(['batch', path.join(dir, 'checked.jsonl')]),
      matcalc(['batch', '--jobs', '2', path.join(dir, 'checked.jsonl')]),
    ]);
  }, 120_000);

  it('writes the same bytes in the same order as one thread, with the same exit code', () => {
    expect(one.stdout.split('\n').length).toBeGreaterThan(190);
    expect(three.stdout).toBe(one.stdout);
    expect(three.code).toBe(one.code);
    expect(one.code).toBe(2); // the bad lines
    expect(three.stderr).toBe('');
    const ids = three.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id?: number }).id)
      .filter((id) => id !== undefined);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('runs the numeric check in the workers too', () => {
    expect(checkedTwo.stdout).toBe(checkedOne.stdout);
    expect(checkedTwo.code).toBe(checkedOne.code);
    const checks = checkedTwo.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { check?: { status: string } | null }).check)
      .filter((c) => c !== undefined);
    expect(checks.filter((c) => c?.status === 'passed').length).toBeGreaterThan(30);
  });

  it('--no-check answers the same gradients with no check', () => {
    const gradients = (run: Run) =>
      run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { gradient?: { text: string }; check?: unknown })
        .filter((l) => l.gradient !== undefined);
    const unchecked = gradients(one).slice(0, 60);
    const checked = gradients(checkedOne).slice(0, 60);
    expect(unchecked.map((l) => l.gradient!.text)).toEqual(checked.map((l) => l.gradient!.text));
    for (const line of unchecked) expect(line.check ?? null).toBeNull();
  });

  it.each([['0'], ['-1'], ['two'], ['65']])('refuses --jobs %s with a usage error', async (jobs) => {
    const run = await matcalc(['batch', '--jobs', jobs, path.join(dir, 'checked.jsonl')]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--jobs');
  });

  it('refuses --jobs with --stream, which answers line by line', async () => {
    const run = await matcalc(['batch', '--stream', '--jobs', '2'], '{"expr": "x\'*x", "wrt": "x"}\n');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--stream');
  });
});
