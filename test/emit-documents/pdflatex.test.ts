import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { formatLatex } from '../../src/emit/document.js';
import { run } from '../../src/pipeline.js';
import type { Command } from '../../src/report.js';

/**
 * `--format latex --standalone` is a document a person can compile: where pdflatex is installed
 * (Debian's texlive-latex-base), compile a few and require no LaTeX error. Skipped otherwise.
 */
const hasPdflatex = spawnSync('pdflatex', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasPdflatex) console.warn('skipping the pdflatex compilation: pdflatex is not installed (Debian: texlive-latex-base)');

/** Every command's document: one table (the .tex file is one formatter for all of them). */
const CASES: [Command, string, string][] = [
  ['grad', 'Y = σ(WX); ⟨Y, MY⟩', 'X'],
  ['grad', '‖W₂tanh(W₁x) − y‖²', 'W1,W2'],
  ['grad', 'logdet(S) + (x − m)ᵀS⁻¹(x − m)', 'S,m'],
  ['diff', 'Y = σ(WX); ⟨Y, MY⟩', 'W'],
  ['jac', 'σ(WX)', 'W'],
  ['jac', 'A*x', 'x'],
  ['jac', 'diag(x)', 'x'],
  ['hess', '-yᵀlog σ(Xw) - (1 - y)ᵀlog(1 - σ(Xw))', 'w'],
  ['hess', 'tr(XᵀAX) + logdet(X)', 'X'],
  ['hess', 'xᵀAy', 'x,y'],
];

test.skipIf(!hasPdflatex)('standalone LaTeX documents of every command compile with pdflatex', () => {
  const dir = mkdtempSync(join(tmpdir(), 'matcalc-tex-'));
  CASES.forEach(([command, expression, wrt], i) => {
    const result = run({ command, expression, wrt, steps: true });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    writeFileSync(join(dir, `doc${i}.tex`), formatLatex(result.value, { steps: true, standalone: true }));
    const run2 = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', `doc${i}.tex`], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(run2.status, `${command} ${expression}:\n${run2.stdout.split('\n').filter((l) => l.startsWith('!')).join('\n')}`).toBe(0);
    expect(existsSync(join(dir, `doc${i}.pdf`))).toBe(true);
  });
}, 180_000);
