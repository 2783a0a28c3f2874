import { expect, test } from 'vitest';

/**
 * The package as a user imports it: by its name, through package.json "exports", from the built
 * dist/ (npm test builds first), with the types the build generated beside it.
 */
test("import { grad, parse } from 'matcalc' works on the built package", async () => {
  const matcalc = await import('matcalc');
  expect(typeof matcalc.grad).toBe('function');
  expect(typeof matcalc.parse).toBe('function');
  const result = matcalc.grad({ expression: 'aᵀexp(Xb)', wrt: 'X', dims: 'X=3x4' });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  const g = result.value.gradients[0]!;
  expect(matcalc.emitText([g.gradient]).main[0]).toBe('(exp(Xb) ⊙ a)bᵀ');
  expect(result.value.check?.status).toBe('passed');
  const parsed = matcalc.parse({ name: '<input>', text: "a'*X*b" });
  expect(parsed.ok).toBe(true);
  const { existsSync } = await import('node:fs');
  expect(existsSync(new URL('../../dist/src/index.d.ts', import.meta.url))).toBe(true);
});

test('the CLI in dist is executable (npx matcalc runs it directly)', async () => {
  const { statSync } = await import('node:fs');
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { bin: { matcalc: string } };
  expect(pkg.bin.matcalc).toBe('dist/src/cli/matcalc.js');
  const mode = statSync(new URL(`../../${pkg.bin.matcalc}`, import.meta.url)).mode;
  expect(mode & 0o111).not.toBe(0);
  // A shell script that starts Node (from the start-up snapshot when it can) and an ES module Node runs:
  // test/cli/startup-snapshot.test.ts runs it both ways.
  expect(readFileSync(new URL(`../../${pkg.bin.matcalc}`, import.meta.url), 'utf8')).toMatch(/^#!\/bin\/sh\n":" \/\/; .*exec node "\$s" "\$@"\n/);
});

test("import { derivative, derivativeViews } from 'matcalc': the README's Hessian example", async () => {
  const matcalc = await import('matcalc');
  const h = matcalc.derivative({ command: 'hess', expression: 'xᵀAx', wrt: 'x' });
  if (!h.ok) throw new Error(h.diagnostics[0]!.message);
  const lines = matcalc.derivativeViews(h.value).lines.map((l) => `${l.label} = ${l.text}`);
  expect(lines).toContain('∇²_x f = A + Aᵀ');
  expect(h.value.check?.status).toBe('passed');
});
