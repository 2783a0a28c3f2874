import katex from 'katex';
import { describe, expect, test } from 'vitest';
import { formatLatex } from '../../src/emit/document.js';
import { gradient } from '../../src/pipeline.js';
import type { Report } from '../../src/report.js';
import { GOLDEN_DIRS, listExamples, type Example } from '../helpers/examples.js';

function reportOf(example: Example): Report {
  const result = gradient({ expression: example.expression, wrt: example.wrt, dims: example.dims, assume: example.assume, steps: true });
  if (!result.ok) throw new Error(`${example.name}: ${result.diagnostics[0]?.message ?? 'gradient failed'}`);
  return result.value;
}

function renders(tex: string, where: string, displayMode = true): void {
  try {
    katex.renderToString(tex, { throwOnError: true, displayMode });
  } catch (error) {
    throw new Error(`${where}: KaTeX cannot render\n${tex}\n${String(error)}`);
  }
}

const examples = listExamples(GOLDEN_DIRS);

describe('formatLatex', () => {
  test('there are golden examples', () => {
    expect(examples.length).toBeGreaterThan(10);
  });

  test.each(examples.map((e) => [e.name, e] as const))('%s: every display block renders with KaTeX', (name, example) => {
    const report = reportOf(example);
    for (const steps of [false, true]) {
      const out = formatLatex(report, { steps, standalone: false });
      expect(out.endsWith('\n')).toBe(true);
      const blocks = out.trim().split(/\n\n+/);
      // f as read, the derivation (with steps), the gradient.
      expect(blocks.length).toBe(steps ? 3 : 2);
      blocks.forEach((b, i) => renders(b, `${name} (steps: ${steps}, block ${i})`));
      expect(blocks[0]).toMatch(/^(\\begin\{aligned\}\n)?f &?= /);
      expect(blocks.at(-1)).toContain('\\nabla_{');
      if (steps) expect(blocks[1]).toMatch(/^\\begin\{aligned\}\n\\mathrm\{d\}f &= \\langle 1, /);
    }
  });

  test.each(examples.map((e) => [e.name, e] as const))('%s: --standalone is a complete document whose math renders', (name, example) => {
    const doc = formatLatex(reportOf(example), { steps: true, standalone: true });
    expect(doc).toContain('\\documentclass{article}');
    expect(doc).toContain('\\usepackage{amsmath}');
    expect(doc).toContain('\\usepackage{amssymb}');
    expect(doc).toMatch(/\\begin\{document\}[\s\S]*\\end\{document\}\n$/);
    expect(doc).toContain('Numeric check: ');
    // Outside comments, the document is ASCII (pdflatex needs no Unicode set-up).
    const body = doc.split('\n').filter((l) => !l.startsWith('%')).join('\n');
    expect(body).toMatch(/^[\x09\x0a\x20-\x7e]*$/);
    // Displays are wrapped in \fitwidth{…} (scaled to the line when too wide); the math is inside.
    const text = body.slice(body.indexOf('\\begin{document}'));
    const displays = [...text.matchAll(/\\\[\n\\fitwidth\{%\n([\s\S]*?)\}\n\\\]/g)];
    expect(displays.length).toBeGreaterThanOrEqual(3);
    for (const m of displays) renders(m[1]!, `${name} (standalone display)`);
    for (const m of text.matchAll(/\$([^$]+)\$/g)) renders(m[1]!, `${name} (standalone inline)`, false);
  });

  test('the notes example reads as the notes write it', () => {
    const r = gradient({ expression: 'aᵀexp(Xb)', wrt: 'X', steps: true });
    if (!r.ok) throw new Error('gradient failed');
    const out = formatLatex(r.value, { steps: true, standalone: false });
    expect(out).toContain('\\mathrm{d}f &= \\langle 1, \\mathrm{d}(a^\\top\\exp(Xb)) \\rangle');
    expect(out).toContain('&= \\langle a, \\mathrm{d}\\exp(Xb) \\rangle');
    expect(out).toContain('&= \\langle (\\exp(Xb) \\odot a)b^\\top, \\mathrm{d}X \\rangle');
    expect(out).toContain('\\nabla_{X} f = (\\exp(Xb) \\odot a)b^\\top');
  });

  test('user definitions become where-lines', () => {
    const r = gradient({ expression: 'Y = σ(WX); ⟨Y, MY⟩', wrt: 'X', steps: true });
    if (!r.ok) throw new Error('gradient failed');
    const out = formatLatex(r.value, { steps: false, standalone: false });
    expect(out).toContain('\\quad\\text{where } Y = \\sigma(WX)');
    renders(out.trim(), 'definitions');
  });
});
