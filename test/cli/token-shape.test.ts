import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

/**
 * grammar/token-shape.ts makes Chevrotain's token fields plain tagged values before Chevrotain's NaN
 * offsets can turn them into boxed doubles, and so keeps the spans made from token offsets unboxed
 * too. V8 reports each change of a field's representation under --trace-generalization: none of the
 * token or span fields may become a double, in the library (dist modules, Chevrotain loaded by
 * grammar/chevrotain.ts) or in the bin's bundle (Chevrotain imported by scripts/bundle-cli.mjs).
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const pipeline = path.join(root, 'dist', 'src', 'pipeline.js');
const bin = path.join(root, 'dist', 'src', 'cli', 'matcalc.js');
const FIELDS = ['startOffset', 'endOffset', 'startLine', 'endLine', 'startColumn', 'endColumn', 'start', 'end'];
const toDouble = new RegExp(`^\\[generalizing\\](${FIELDS.join('|')}):\\S*->d`, 'm');

/** What V8 traced while the command ran (with a parse error too: Chevrotain's error path makes tokens). */
function traced(args: readonly string[]): string {
  const run = spawnSync(process.execPath, ['--trace-generalization', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(run.stdout).toMatch(/generalizing/); // the flag took effect
  return run.stdout;
}

test('the library: no token or span field becomes a double', () => {
  const script = `const { gradient } = await import(${JSON.stringify(pipeline)});
for (const expression of ["aᵀexp(Xb)", "\\\\sum(x) + \\\\frac{1}{2} x^T A x", "x'*", "np.sum(A @ x)"]) gradient({ expression, wrt: 'x' });`;
  expect(traced(['--input-type=module', '-e', script])).not.toMatch(toDouble);
});

test('the bin: no token or span field becomes a double', () => {
  expect(traced([bin, 'grad', 'sum(log(1 + exp(-y .* (X*w)))) + lambda*w\'*w', '--wrt', 'w'])).not.toMatch(toDouble);
  expect(traced([bin, 'grad', "x'*(", '--wrt', 'x'])).not.toMatch(toDouble);
});
