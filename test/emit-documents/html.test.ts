import { describe, expect, test } from 'vitest';
import { formatHtml } from '../../src/emit/document.js';
import { gradient, run } from '../../src/pipeline.js';
import type { Command, Report } from '../../src/report.js';
import { GOLDEN_DIRS, listExamples } from '../helpers/examples.js';

const options = { steps: true, standalone: false };

function report(expression: string, wrt: string): Report {
  const r = gradient({ expression, wrt, steps: true });
  if (!r.ok) throw new Error(`gradient failed: ${expression}`);
  return r.value;
}

function expectSelfContained(html: string): void {
  expect(html).not.toContain('katex-error');
  expect(html).toContain('class="katex"');
  expect(html).toContain('data:font/woff2;base64,');
  // No external resources: no stylesheet links, scripts, remote sources or fetched URLs.
  expect(html).not.toMatch(/<link\b/i);
  expect(html).not.toMatch(/<script\b/i);
  expect(html).not.toMatch(/src="(https?:)?\/\//i);
  // url(#…) is a reference inside the page (the graph's arrowhead marker), never fetched.
  expect(html).not.toMatch(/url\((?!data:|#[\w-]+\))/i);
  // The only URLs left are XML namespace names of KaTeX's MathML (identifiers, never fetched).
  const urls = [...html.matchAll(/(\w+=")?https?:\/\/[^"'\s)]*/g)].map((m) => m[0]);
  for (const u of urls) expect(u).toMatch(/^xmlns="http:\/\/www\.w3\.org\//);
}

describe('formatHtml', () => {
  test('one self-contained page for the notes example', () => {
    const html = formatHtml(report('aᵀexp(Xb)', 'X'), options);
    expectSelfContained(html);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<pre class="input">aᵀexp(Xb)</pre>');
    expect(html).toContain('class="katex-display"');
    expect(html).toContain('<p class="check passed">passed: relative error');
    expect(html).toContain('Derivation');
    // Every font of KaTeX's stylesheet is embedded; none is left as a relative file reference.
    expect(html).not.toMatch(/fonts\/KaTeX_/);
    expect((html.match(/data:font\/woff2;base64,/g) ?? []).length).toBeGreaterThanOrEqual(15);
  });

  test('a sum of 600 terms renders: KaTeX counts an expansion per command, past its default of 1,000', () => {
    const expression = Array.from({ length: 600 }, (_, i) => `${i + 1}*sum(exp(x))`).join(' + ');
    const r = gradient({ expression, wrt: 'x', steps: true, check: false });
    if (!r.ok) throw new Error(r.diagnostics[0]!.message);
    const html = formatHtml(r.value, options);
    expectSelfContained(html);
    expect(html).toContain('Derivation');
  });

  test('the input is HTML-escaped', () => {
    const html = formatHtml(report('<x, A*x>', 'x'), options);
    expectSelfContained(html);
    expect(html).toContain('<pre class="input">&lt;x, A*x&gt;</pre>');
  });

  test('a failed check is shown loudly', () => {
    const base = report('aᵀexp(Xb)', 'X');
    const failed: Report = { ...base, check: { ...base.check!, status: 'failed', reason: 'X disagrees', relativeError: 0.5 } };
    const html = formatHtml(failed, options);
    expect(html).toContain('class="failed-banner"');
    expect(html).toContain('<p class="check failed">CHECK FAILED');
    expect(html).not.toContain('check passed');
  });

  test.each(listExamples(GOLDEN_DIRS).map((e) => [e.name, e] as const))('%s renders without KaTeX errors', (name, e) => {
    const r = gradient({ expression: e.expression, wrt: e.wrt, dims: e.dims, assume: e.assume, steps: true });
    if (!r.ok) throw new Error(`${name}: gradient failed`);
    const html = formatHtml(r.value, options);
    expect(html, name).not.toContain('katex-error');
  });

  /** Every command's page: one table (the gradient's and the derivatives' pages are one formatter). */
  test.each([
    ['grad', 'Y = σ(WX); ⟨Y, MY⟩', 'X'],
    ['diff', 'Y = σ(WX); ⟨Y, MY⟩', 'W'],
    ['jac', 'σ(WX)', 'W'],
    ['jac', 'A*x', 'x'],
    ['jac', 'diag(x)', 'x'],
    ['hess', '-yᵀlog σ(Xw) - (1 - y)ᵀlog(1 - σ(Xw))', 'w'],
    ['hess', 'tr(XᵀAX) + logdet(X)', 'X'],
    ['hess', 'xᵀAy', 'x,y'],
  ] as [Command, string, string][])('%s %s --wrt %s: a self-contained page, every formula rendered', (command, expression, wrt) => {
    const r = run({ command, expression, wrt, steps: true });
    if (!r.ok) throw new Error(r.diagnostics[0]!.message);
    const html = formatHtml(r.value, options);
    expectSelfContained(html);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('class="katex-display"');
    expect(html).toContain('<h2>Derivation</h2>');
    expect(html).toContain('class="check passed"');
  });
});
