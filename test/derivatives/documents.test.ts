import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FORMATS } from '../../src/emit/formats.js';
import { derivative } from '../../src/pipeline.js';
import type { DerivativeCommand } from '../../src/report.js';

/** The documents of diff, jac and hess: HTML pages rendered by KaTeX, standalone LaTeX compiled by pdflatex (where installed). */

const CASES: [DerivativeCommand, string, string][] = [
  ['diff', 'Y = σ(WX); ⟨Y, MY⟩', 'W'],
  ['jac', 'σ(WX)', 'W'],
  ['jac', 'A*x', 'x'],
  ['jac', 'diag(x)', 'x'],
  ['hess', '-yᵀlog σ(Xw) - (1 - y)ᵀlog(1 - σ(Xw))', 'w'],
  ['hess', 'tr(XᵀAX) + logdet(X)', 'X'],
  ['hess', 'xᵀAy', 'x,y'],
];

function report(command: DerivativeCommand, expression: string, wrt: string) {
  const result = derivative({ command, expression, wrt, steps: true });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  return result.value;
}

describe('HTML', () => {
  test.each(CASES)('%s %s --wrt %s: a self-contained page, every formula rendered', (command, expression, wrt) => {
    const html = FORMATS.html!(report(command, expression, wrt), { steps: true, standalone: false });
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('class="katex-display"');
    expect(html).not.toContain('katex-error');
    expect(html).not.toMatch(/<script|<link|https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain('<h2>Derivation</h2>');
    expect(html).toContain('class="check passed"');
  });
});

const hasPdflatex = spawnSync('pdflatex', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasPdflatex) console.warn('skipping the pdflatex compilation: pdflatex is not installed (Debian: texlive-latex-base)');

test.skipIf(!hasPdflatex)('standalone LaTeX documents of diff, jac and hess compile with pdflatex', () => {
  const dir = mkdtempSync(join(tmpdir(), 'matcalc-deriv-tex-'));
  CASES.forEach(([command, expression, wrt], i) => {
    writeFileSync(join(dir, `doc${i}.tex`), FORMATS.latex!(report(command, expression, wrt), { steps: true, standalone: true }));
    const run = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', `doc${i}.tex`], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, `${command} ${expression}:\n${run.stdout.split('\n').filter((l) => l.startsWith('!')).join('\n')}`).toBe(0);
    expect(existsSync(join(dir, `doc${i}.pdf`))).toBe(true);
  });
}, 120_000);
