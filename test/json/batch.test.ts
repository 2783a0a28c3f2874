import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchFolders } from '../helpers/scratch.js';
import { compileSchema, matcalc, type Run } from './helpers.js';

const validateLine = compileSchema('batchLine');
const validate = compileSchema();

const MIXED = [
  '{"expr": "aᵀexp(Xb)", "wrt": "X", "id": "first"}',
  'this is not json',
  '',
  '{"expr": "xᵀSx", "id": 7}',
  '{"expr": "A*x", "wrt": "x", "dims": "A=3x4", "id": {"k": [1]}}',
  '{"expr": "norm2(A*x-y)^2", "wrt": ["x", "A"], "seed": 3}',
  '{"expr": "xᵀx", "wrt": "x", "colour": "red"}',
].join('\n');

const GOOD = [
  '{"expr": "log(det(X))", "wrt": "X", "id": 1}',
  '{"expr": "xᵀSx", "wrt": "x", "assume": "S:spd"}',
  '{"expr": "Y = σ(WX); ⟨Y, MY⟩", "wrt": "W,X", "id": "net"}',
].join('\r\n');

function lines(run: Run): Record<string, unknown>[] {
  expect(run.stdout.endsWith('\n')).toBe(true);
  return run.stdout
    .slice(0, -1)
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('matcalc batch', () => {
  const scratch = scratchFolders('batch');
  let dir: string;
  let mixedFile: string;
  let mixed: Run;
  let mixedAgain: Run;
  let good: Run;
  let goodStdin: Run;

  beforeAll(async () => {
    dir = scratch();
    mixedFile = path.join(dir, 'mixed.jsonl');
    writeFileSync(mixedFile, MIXED);
    writeFileSync(path.join(dir, 'good.jsonl'), GOOD);
    [mixed, mixedAgain, good, goodStdin] = await Promise.all([
      matcalc(['batch', mixedFile]),
      matcalc(['batch', mixedFile]),
      matcalc(['batch', path.join(dir, 'good.jsonl')]),
      matcalc(['batch'], GOOD),
    ]);
  });

  it('answers every request in order, without stopping at bad lines; exit 2', () => {
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toBe('');
    const out = lines(mixed);
    expect(out).toHaveLength(6); // the blank line is not a request
    for (const line of out) expect(validateLine(line)).toEqual([]);
    for (const line of out) expect(validate(line)).toEqual([]);

    expect(out[0]!.id).toBe('first');
    expect((out[0]!.gradient as { text: string }).text).toBe('(exp(Xb) ⊙ a)bᵀ');

    const notJson = out[1]!.error as Record<string, unknown>;
    expect(notJson).toMatchObject({ code: 'MC2000', id: 'batch/not-json', source: mixedFile, line: 2, column: 1 });
    expect(notJson.message).toMatch(/^line 2: not JSON/);
    expect(out[1]!).not.toHaveProperty('id');

    expect(out[2]!.error).toMatchObject({ id: 'batch/bad-request', line: 4 });
    expect((out[2]!.error as { message: string }).message).toMatch(/line 4: .*no "wrt"/);
    expect(out[2]!.id).toBe(7);

    expect(out[3]!.error).toMatchObject({ code: 'MC2005', id: 'shape/not-scalar' });
    expect(out[3]!.id).toEqual({ k: [1] });

    expect(out[4]!.wrt).toEqual(['x', 'A']);
    expect((out[4]!.check as { seed: number }).seed).toBe(3);
    expect(out[4]!).not.toHaveProperty('id');

    expect((out[5]!.error as { message: string }).message).toMatch(/line 7: unknown field 'colour'/);
  });

  it('all good: exit 0, file or standard input, CRLF lines', () => {
    expect(good.code).toBe(0);
    const out = lines(good);
    expect(out.map((l) => l.id)).toEqual([1, undefined, 'net']);
    for (const line of out) expect(validateLine(line)).toEqual([]);
    expect(goodStdin.code).toBe(0);
    expect(goodStdin.stdout).toBe(good.stdout);
  });

  it('a line is the same object as grad --format json, compact, plus id', async () => {
    const grad = await matcalc(['grad', 'log(det(X))', '--wrt', 'X', '--format', 'json']);
    const first = lines(good)[0]!;
    delete first.id;
    expect(JSON.stringify(first, null, 2) + '\n').toBe(grad.stdout);
  });

  it('is deterministic: the same batch twice gives the same bytes', () => {
    expect(mixedAgain.code).toBe(mixed.code);
    expect(mixedAgain.stdout).toBe(mixed.stdout);
  });

  it('no progress bar when stderr is not a terminal, even for a long batch', async () => {
    const many = Array.from({ length: 25 }, (_, i) => `{"expr": "xᵀx", "wrt": "x", "id": ${i}}`).join('\n');
    const run = await matcalc(['batch'], many);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(lines(run).map((l) => l.id)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('a missing file is bad input', async () => {
    const run = await matcalc(['batch', path.join(dir, 'nope.jsonl')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read batch file/);
  });
});
