import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { formatLatex } from '../../src/emit/document.js';
import { gradient } from '../../src/pipeline.js';

/**
 * `--format latex --standalone` is a document a person can compile: where pdflatex is installed
 * (Debian's texlive-latex-base), compile a few and require no LaTeX error. Skipped otherwise.
 */
const hasPdflatex = spawnSync('pdflatex', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasPdflatex) console.warn('skipping the pdflatex compilation: pdflatex is not installed (Debian: texlive-latex-base)');

test.skipIf(!hasPdflatex)('standalone LaTeX documents compile with pdflatex', () => {
  const dir = mkdtempSync(join(tmpdir(), 'matcalc-tex-'));
  const cases: [string, string][] = [
    ['Y = σ(WX); ⟨Y, MY⟩', 'X'],
    ['‖W₂tanh(W₁x) − y‖²', 'W1,W2'],
    ['logdet(S) + (x − m)ᵀS⁻¹(x − m)', 'S,m'],
  ];
  cases.forEach(([expression, wrt], i) => {
    const result = gradient({ expression, wrt, steps: true });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    writeFileSync(join(dir, `doc${i}.tex`), formatLatex(result.value, { steps: true, standalone: true }));
    const run = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', `doc${i}.tex`], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, `${expression}:\n${run.stdout.split('\n').filter((l) => l.startsWith('!')).join('\n')}`).toBe(0);
    expect(existsSync(join(dir, `doc${i}.pdf`))).toBe(true);
  });
});
