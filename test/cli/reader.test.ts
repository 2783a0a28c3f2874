import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { matcalc } from '../json/helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The reader at the front door (issue 11 §1, §3): what it refuses exits 2 with what to write. */
describe.concurrent('matcalc reads what was meant, or says what to write', () => {
  const notes = readdirSync(path.join(root, 'examples', 'notes')).filter((f) => f.endsWith('.mc'));

  it.each(notes)('examples/notes/%s can be given on standard input, # lines and all', async (file) => {
    const text = readFileSync(path.join(root, 'examples', 'notes', file), 'utf8');
    const wrt = /^# wrt: *(.+)$/m.exec(text)![1]!.trim();
    const run = await matcalc(['grad', '--wrt', wrt], text);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('check   passed');
  });

  it('a word applied to an argument is an unknown function, exit 2', async () => {
    const run = await matcalc(['grad', "sum(softsign(x'*x))", '--wrt', 'x', '--dims', 'x=3']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("unknown function 'softsign' — write x ./ (1 + abs(x))");
  });

  it('e^x with the constant e is read, printed and differentiated as exp(x)', async () => {
    const run = await matcalc(['grad', 'e^(-xᵀx/2)', '--wrt', 'x']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('f = exp(0.5·(−xᵀx))');
    expect(run.stdout).not.toContain('2.718');
  });

  it('pi is read as π and shown by name in the f line and in LaTeX; code keeps the digits', async () => {
    const run = await matcalc(['grad', "exp(-x'*x/(2*pi))", '--wrt', 'x', '--dims', 'x=3', '--format', 'json']);
    expect(run.code).toBe(0);
    const f = (JSON.parse(run.stdout) as { function: { text: string; latex: string; numpy: string } }).function;
    expect(f.text).toBe('exp((−xᵀ)x / (2·π))');
    expect(f.latex).toContain('2 \\cdot \\pi');
    expect(f.numpy).toContain('2 * 3.141592653589793');
  });

  it('e^x of a vector is refused with the element-wise spelling, exit 2', async () => {
    const run = await matcalc(['grad', 'sum(e^x)', '--wrt', 'x', '--dims', 'x=3']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('for the element-wise exponential write exp(x)');
  });

  it('--wrt x for aᵀexp(Xb) asks "did you mean X?", exit 2', async () => {
    const run = await matcalc(['grad', 'aᵀexp(Xb)', '--wrt', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('did you mean X?');
  });

  it('a Greek capital that looks like a Latin letter is read, with a warning', async () => {
    const run = await matcalc(['grad', 'tr(ΑX) + sum(A)', '--wrt', 'X']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("warning: 'Α' is written with a Greek letter (U+0391)");
    expect(run.stdout).toContain('A also occurs, and the two are different variables');
  });

  it('a 1 MB run of letters is refused with a short message, never read as x^999999', async () => {
    const run = await matcalc(['grad', '--wrt', 'x'], 'x'.repeat(1 << 20));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('a product of 1048576 letters is refused');
    expect(run.stderr.length).toBeLessThan(2000);
  });
});
