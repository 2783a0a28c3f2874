import { describe, expect, it } from 'vitest';
import { commandJson } from '../../src/emit/command-json.js';
import { jsonSchema } from '../../src/emit/schema.js';
import { gradient } from '../../src/pipeline.js';
import { GOLDEN_DIRS, listExamples } from '../helpers/examples.js';
import { compileSchema, matcalc } from './helpers.js';

const validate = compileSchema();
const validateResult = compileSchema('result');
const validateError = compileSchema('errorOutput');

describe('the JSON Schema', () => {
  it('is draft 2020-12 and compiles in strict mode', () => {
    const schema = jsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.$defs as object)).toEqual(expect.arrayContaining(['result', 'errorOutput', 'batchLine']));
  });

  it('matcalc schema prints it, exit 0', async () => {
    const run = await matcalc(['schema']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${JSON.stringify(jsonSchema(), null, 2)}\n`);
  });
});

describe('every golden example validates', () => {
  for (const ex of listExamples(GOLDEN_DIRS)) {
    it(ex.name, () => {
      const result = gradient({ expression: ex.expression, wrt: ex.wrt, dims: ex.dims, assume: ex.assume, steps: true });
      if (!result.ok) throw new Error(result.diagnostics[0]!.message);
      const json = JSON.parse(JSON.stringify(commandJson(result.value))) as unknown;
      expect(validateResult(json)).toEqual([]);
      expect(validate(json)).toEqual([]);
    });
  }
});

describe('the schema is strict', () => {
  const good = (() => {
    const r = gradient({ expression: 'aᵀexp(Xb)', wrt: 'X', steps: true });
    if (!r.ok) throw new Error('setup');
    return JSON.parse(JSON.stringify(commandJson(r.value))) as Record<string, unknown>;
  })();

  it('accepts the reference object, rejects it without a required key', () => {
    expect(validateResult(good)).toEqual([]);
    for (const key of ['input', 'shapes', 'check', 'steps', 'gradients', 'notes', 'gradient']) {
      const broken = { ...good };
      delete broken[key];
      expect(validateResult(broken), key).not.toEqual([]);
      expect(validate(broken), key).not.toEqual([]);
    }
  });

  it('rejects a wrong type, an unknown key, a bad dimension, a bad status, a bad code', () => {
    const check = good.check as Record<string, unknown>;
    const gradientJson = good.gradient as Record<string, unknown>;
    const cases: Record<string, unknown>[] = [
      { ...good, notes: 'none' },
      { ...good, extra: 1 },
      { ...good, shapes: { X: [0, 'm'] } },
      { ...good, shapes: { X: ['n'] } },
      { ...good, check: { ...check, status: 'ok' } },
      { ...good, check: { ...check, passed: false } },
      { ...good, gradient: { ...gradientJson, numpy: undefined } },
    ].map((x) => JSON.parse(JSON.stringify(x)) as Record<string, unknown>);
    for (const c of cases) expect(validate(c)).not.toEqual([]);
    expect(validateError({ error: { code: 'E1', id: 'usage', message: 'x' } })).not.toEqual([]);
    expect(validateError({ error: { code: 'MC1001', id: 'syntax/unexpected-token' } })).not.toEqual([]);
    expect(validateError({ error: { code: 'MC1001', id: 'syntax/unexpected-token', message: 'm', line: 1 } })).not.toEqual([]);
  });

  it('accepts check: null (--no-check)', () => {
    const r = gradient({ expression: 'aᵀexp(Xb)', wrt: 'X', steps: true, check: false });
    if (!r.ok) throw new Error('setup');
    expect(validateResult(JSON.parse(JSON.stringify(commandJson(r.value))))).toEqual([]);
  });
});

describe('error outputs validate (built binary, exit 2)', () => {
  const bad: readonly (readonly string[])[] = [
    ['A*(x', '--wrt', 'x'],
    ['x', '--wrt', 'x', '--dims', 'x=3x4'],
    ['A*B', '--wrt', 'A', '--dims', 'A=2x3,B=4x5'],
    ['foo(x)', '--wrt', 'x'],
    ['', '--wrt', 'x'],
    ['xᵀSx', '--wrt', 'x', '--assume', 'S:spd', '--dims', 'S=2x3'],
    ['xᵀSx', '--wrt', 'x', '--assume', 'S'],
    ['x+$', '--wrt', 'x'],
    ['xᵀx', '--wrt', 'x', '--seed', '-1'],
    ['xᵀx', '--wrt', 'x', '--bogus'],
  ];
  for (const args of bad) {
    it(args.join(' '), async () => {
      const run = await matcalc(['grad', ...args, '--format', 'json']);
      expect(run.code).toBe(2);
      const json = JSON.parse(run.stdout) as unknown;
      expect(validateError(json)).toEqual([]);
      expect(validate(json)).toEqual([]);
    });
  }
});

describe('determinism', () => {
  it('grad --format json prints the same bytes twice', async () => {
    const args = ['grad', 'Y = σ(WX); ⟨Y, MY⟩', '--wrt', 'X,W', '--format', 'json'];
    const [a, b] = await Promise.all([matcalc(args), matcalc(args)]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(validate(JSON.parse(a.stdout))).toEqual([]);
  });
});
