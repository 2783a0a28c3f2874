import { describe, expect, it } from 'vitest';
import { commandJson } from '../../src/emit/command-json.js';
import { atLatexLines, atTextLines } from '../../src/emit/at-values.js';
import { run } from '../../src/pipeline.js';
import type { AtValues, Report } from '../../src/report.js';
import { scratchFolders } from '../helpers/scratch.js';
import { compileSchema, matcalc } from '../json/helpers.js';

/**
 * --at: the lecture notes' worked examples (../shared/seeds, the backprop chapter, which reproduces
 * CS231n's figures), each compared with the notes' own numbers; and the errors a point can have.
 */

function at(request: Parameters<typeof run>[0]): { report: Report; at: AtValues } {
  const result = run(request);
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  if (!result.value.at) throw new Error('no values at the point');
  return { report: result.value, at: result.value.at };
}

function gradientOf(values: AtValues, name: string): readonly number[] {
  return values.results.find((r) => r.kind === 'gradient' && r.name === name)!.value.data;
}

describe("the notes' worked examples", () => {
  it('f = (x + y)z at x = −2, y = 5, z = −4: f = −12, gradient (−4, −4, 3)', () => {
    const { at: v } = at({ expression: 'q = x + y; q*z', wrt: 'x,y,z', at: 'x=-2, y=5, z=-4' });
    expect(v.f.data).toEqual([-12]);
    expect(['x', 'y', 'z'].map((n) => gradientOf(v, n)[0])).toEqual([-4, -4, 3]);
    expect(atTextLines(v)).toEqual(['at x=-2, y=5, z=-4:  f = -12,  ∇_x f = -4,  ∇_y f = -4,  ∇_z f = 3']);
  });

  it('the sigmoid neuron at w = (2, −3, −3), x = (−1, −2): f = 0.73, gradients (−0.20, 0.39, −0.39, −0.59, 0.20)', () => {
    const { at: v } = at({ expression: 'σ(w0*x0 + w1*x1 + w2)', wrt: 'w0,x0,w1,x1,w2', at: 'w0=2, x0=-1, w1=-3, x1=-2, w2=-3' });
    expect(v.f.data[0]).toBeCloseTo(0.73, 2);
    const notes = { w0: -0.2, x0: 0.39, w1: -0.39, x1: -0.59, w2: 0.2 };
    for (const [name, value] of Object.entries(notes)) expect(gradientOf(v, name)[0]).toBeCloseTo(value, 2);
  });

  it('the small linear network f = ‖Wx‖² at W = [[0.1, 0.5], [−0.3, 0.8]], x = (0.2, 0.4)', () => {
    const { at: v } = at({ expression: 'q = W*x; norm2(q)^2', wrt: 'W,x', at: 'W=[[0.1,0.5],[-0.3,0.8]], x=[0.2,0.4]' });
    expect(v.f.data[0]).toBeCloseTo(0.116, 12);
    const w = gradientOf(v, 'W');
    [0.088, 0.176, 0.104, 0.208].forEach((value, i) => expect(w[i]).toBeCloseTo(value, 12));
    const x = gradientOf(v, 'x');
    [-0.112, 0.636].forEach((value, i) => expect(x[i]).toBeCloseTo(value, 12));
    expect(atTextLines(v)).toEqual([
      'at W=[[0.1, 0.5], [-0.3, 0.8]], x=[0.2, 0.4]:  f = 0.116',
      '  ∇_W f = [ 0.088  0.176 ]',
      '          [ 0.104  0.208 ]',
      '  ∇_x f = [ -0.112 ]',
      '          [  0.636 ]',
    ]);
    expect(atLatexLines(v).lines[1]).toBe('\\nabla_{W} f = \\begin{pmatrix} 0.088 & 0.176 \\\\ 0.104 & 0.208 \\end{pmatrix}');
  });
});

describe('every command at a point', () => {
  it('jac: the Jacobian matrix read off; hess: the Hessian', () => {
    const jac = at({ command: 'jac', expression: 'A*x', wrt: 'x', at: 'A=[[1,2],[3,4]], x=[1,1]' }).at;
    expect(jac.f.data).toEqual([3, 7]);
    expect(jac.results).toMatchObject([{ kind: 'jacobian', name: 'x', value: { rows: 2, cols: 2, data: [1, 2, 3, 4] } }]);
    const hess = at({ command: 'hess', expression: "x'*A*x", wrt: 'x', at: 'A=[[1,2],[3,4]], x=[1,1]' }).at;
    expect(hess.f.data).toEqual([10]);
    expect(hess.results).toMatchObject([{ kind: 'hessian', name: 'x', value: { data: [2, 5, 5, 8] } }]);
  });

  it('diff: f has a value, the differential has none (a note says why)', () => {
    const { report, at: v } = at({ command: 'diff', expression: 'x*y', wrt: 'x', at: 'x=1, y=2' });
    expect(v.f.data).toEqual([2]);
    expect(v.results).toEqual([]);
    expect(report.notes.join('\n')).toMatch(/no single value/);
  });

  it('a kink is a note, not an error', () => {
    const { report, at: v } = at({ expression: 'relu(x)', wrt: 'x', at: 'x=0' });
    expect(v.f.data).toEqual([0]);
    expect(report.notes.join('\n')).toMatch(/kink/);
  });

  it('sizes come from the values: no --dims needed, and the JSON validates', () => {
    const { report } = at({ expression: "a'*x", wrt: 'x', at: 'a=[1,2,3], x=[4,5,6]' });
    const json = JSON.parse(JSON.stringify(commandJson(report))) as Record<string, unknown>;
    expect(json.at).toEqual({ point: { a: [1, 2, 3], x: [4, 5, 6] }, f: 32, gradient: { x: [1, 2, 3] } });
    expect(compileSchema()(json)).toEqual([]);
  });

  it('a point given as a map (the library) works as text does', () => {
    const point = new Map([['x', { rows: 1, cols: 1, data: [3] }]]);
    expect(at({ expression: 'x^2', wrt: 'x', at: point }).at.results[0]!.value.data).toEqual([6]);
  });
});

describe('what a point can get wrong', () => {
  const error = (request: Parameters<typeof run>[0]): string => {
    const result = run(request);
    if (result.ok) throw new Error('expected an error');
    return `${result.diagnostics[0]!.code} ${result.diagnostics[0]!.message}`;
  };

  it('a value outside the domain names the function and its input', () => {
    expect(error({ expression: 'log(x - y)', wrt: 'x', at: 'x=1, y=3' })).toBe('MC4013 at the point, log(x − y) has no value: log of a non-positive value (-2)');
    expect(error({ expression: 'tr(inv(X))', wrt: 'X', at: 'X=[[1,2],[2,4]]' })).toMatch(/^MC4013 .*inv.*singular/);
  });

  it('a missing value lists the missing names', () => {
    expect(error({ expression: 'x*y*z', wrt: 'x', at: 'x=1' })).toBe('MC4011 --at gives no value for y, z: every variable of the expression needs one');
  });

  it('a value for a name f does not have: did you mean', () => {
    expect(error({ expression: 'x*w2', wrt: 'x', at: 'x=1, w3=2' })).toBe('MC4012 --at gives a value for w3, which is not a variable of the expression; did you mean w2?');
    // A point's names are declared names: `weight` is one name, not w·e·i·g·h·t.
    expect(at({ expression: 'x*weight', wrt: 'x', at: 'x=1, weight=2' }).at.f.data).toEqual([2]);
  });

  it('--dims and --at disagreeing is an error naming both', () => {
    expect(error({ expression: "x'*x", wrt: 'x', dims: 'x=3', at: 'x=[1,2]' })).toBe('MC4010 --dims makes x 3×1, but its --at value is 2×1');
  });

  it('a bad request field is refused at the boundary', () => {
    expect(error({ expression: 'x', wrt: 'x', at: new Map([['x', { rows: 2, cols: 1, data: [1] }]]) })).toMatch(/^MC2023 bad request: at:/);
  });
});

describe('the documents', () => {
  it('LaTeX: the point and the values as pmatrix; without --at, nothing is added', async () => {
    const { formatLatex } = await import('../../src/emit/document.js');
    const { report } = at({ expression: 'q = W*x; norm2(q)^2', wrt: 'W', at: 'W=[[0.1,0.5],[-0.3,0.8]], x=[0.2,0.4]' });
    const tex = formatLatex(report, { steps: false, standalone: true });
    expect(tex).toContain('\\section*{At the point}');
    expect(tex).toContain('\\nabla_{W} f &= \\begin{pmatrix} 0.088 & 0.176 \\\\ 0.104 & 0.208 \\end{pmatrix}');
    const plain = run({ expression: 'q = W*x; norm2(q)^2', wrt: 'W', dims: 'W=2x2,x=2' });
    if (!plain.ok) throw new Error('failed');
    expect(formatLatex(plain.value, { steps: false, standalone: true })).not.toContain('At the point');
  });
});

describe('the CLI', () => {
  /** The test's point file goes in a folder removed when the tests are done (test/helpers/scratch.ts). */
  const scratch = scratchFolders('at');
  it('--at prints the values beside the result; --at-file reads JSON', async () => {
    const text = await matcalc(['grad', 'q = x + y; q*z', '--wrt', 'x,y,z', '--at', 'x=-2, y=5, z=-4']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('at x=-2, y=5, z=-4:  f = -12,  ∇_x f = -4,  ∇_y f = -4,  ∇_z f = 3\n');
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const file = join(scratch(), 'point.json');
    writeFileSync(file, '{"x": -2, "y": 5, "z": -4}');
    const json = await matcalc(['grad', '(x + y)*z', '--wrt', 'x,y,z', '--at-file', file, '--format', 'json']);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { at: unknown }).at).toEqual({ point: { x: -2, y: 5, z: -4 }, f: -12, gradient: { x: -4, y: -4, z: 3 } });
  });

  it('batch: "at" as text or as an object', async () => {
    const input = ['{"expr": "(x + y)*z", "wrt": "x,y,z", "at": "x=-2, y=5, z=-4"}', '{"expr": "x*y", "wrt": "x", "at": {"x": 3, "y": [1]}}', '{"expr": "x*y", "wrt": "x", "at": {"x": 3}}'].join('\n');
    const r = await matcalc(['batch'], input);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { at?: unknown; error?: { code: string } });
    expect(lines[0]!.at).toEqual({ point: { x: -2, y: 5, z: -4 }, f: -12, gradient: { x: -4, y: -4, z: 3 } });
    expect(lines[1]!.at).toEqual({ point: { x: 3, y: 1 }, f: 3, gradient: { x: 1 } });
    expect(lines[2]!.error!.code).toBe('MC4011');
  });

  it('a domain error exits 2', async () => {
    const r = await matcalc(['grad', 'log(x)', '--wrt', 'x', '--at', 'x=-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('MC4013');
  });
});
