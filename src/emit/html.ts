import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { visibleControls, visibleLine } from './escape.js';

/**
 * `--format html`: one self-contained offline page. The math is rendered by KaTeX here, on the
 * server side, and KaTeX's stylesheet is inlined with its fonts as data: URIs, so the page needs no
 * network and no JavaScript. KaTeX is loaded on first use (it costs tens of milliseconds to import,
 * which the text path must not pay).
 */

type Katex = typeof import('katex');

let katexModule: Katex | undefined;
let katexCss: string | undefined;

/**
 * Made on first use, not when the module is evaluated: the command line's start-up snapshot
 * (scripts/bundle-cli.mjs) evaluates this module where it was built, and runs where it is installed.
 */
function require(id: string): unknown {
  return createRequire(import.meta.url)(id);
}
require.resolve = (id: string): string => createRequire(import.meta.url).resolve(id);

function katex(): Katex {
  katexModule ??= require('katex') as Katex;
  return katexModule;
}

/** KaTeX's CSS with every font as an embedded woff2 (the woff/ttf fallbacks dropped). */
export function inlinedKatexCss(): string {
  if (katexCss !== undefined) return katexCss;
  const dist = join(dirname(require.resolve('katex/package.json')), 'dist');
  const css = readFileSync(join(dist, 'katex.min.css'), 'utf8');
  katexCss = css.replace(/src:([^;}]*)/g, (whole, src: string) => {
    const woff2 = /url\((['"]?)(fonts\/[^'")]+\.woff2)\1\)/.exec(src);
    if (!woff2) return whole;
    const data = readFileSync(join(dist, woff2[2]!)).toString('base64');
    return `src:url(data:font/woff2;base64,${data}) format("woff2")`;
  });
  return katexCss;
}

import { escapeHtml } from './escape.js';

export { escapeHtml };

function render(tex: string, displayMode: boolean): string {
  // KaTeX stops after 1,000 macro expansions, a guard against a macro that expands forever. Ours
  // define no macro and never pass one through (names are escaped), and every expansion is of a
  // command in the text: a sum of 500 terms counts over 1,000, so the limit grows with the text.
  const maxExpand = Math.max(1000, tex.length);
  return katex().renderToString(tex, { throwOnError: true, displayMode, output: 'htmlAndMathml', maxExpand });
}

const PAGE_CSS = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; line-height: 1.5; }
h1 { font-size: 1.4rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.05rem; margin: 1.5rem 0 0.25rem; color: #444; text-transform: uppercase; letter-spacing: 0.04em; }
pre.input { background: #f4f4f4; padding: 0.6rem 0.8rem; border-radius: 4px; white-space: pre-wrap; font-size: 1rem; }
.math { overflow-x: auto; overflow-y: hidden; }
.check { padding: 0.6rem 0.8rem; border-radius: 4px; border-left: 6px solid; }
.check.passed { background: #eef8ee; border-color: #2e7d32; }
.check.inconclusive { background: #fff8e1; border-color: #f9a825; }
.check.skipped { background: #f4f4f4; border-color: #999; }
.check.failed { background: #ffebee; border-color: #c62828; color: #b71c1c; font-weight: bold; font-size: 1.15rem; }
.failed-banner { background: #c62828; color: white; font-weight: bold; font-size: 1.3rem; padding: 0.6rem 0.8rem; border-radius: 4px; }
.notes li { color: #555; }
`;

/** What a result page shows, in order; grad and diff|jac|hess pages differ only in these. */
export interface PageContent {
  /** "gradient", "Hessian", … */
  readonly what: string;
  readonly wrt: readonly string[];
  readonly source: string;
  /** Display-math blocks (LaTeX). */
  readonly function: string;
  readonly shapes: string;
  readonly derivation?: string;
  readonly result: string;
  /** Values at the point (--at): the point as a line of math, and a display block. */
  readonly at?: { readonly point: string; readonly block: string };
  /** The computational graph of f, an SVG picture drawn at write time (emit/graph/svg.ts). */
  readonly graph?: { readonly svg: string; readonly note?: string };
  readonly check: { readonly status: string; readonly text: string };
  readonly notes: readonly string[];
  /** The page title's symbol: ∇, ∂, d. */
  readonly symbol: string;
}

/** One self-contained page: KaTeX rendered here, its CSS and fonts inlined, no scripts or links. */
export function htmlPage(c: PageContent): string {
  const failed = c.check.status === 'failed';
  const body: string[] = [];
  body.push(`<h1>matcalc: ${escapeHtml(c.what)} with respect to ${escapeHtml(c.wrt.join(', '))}</h1>`);
  if (failed) body.push(`<p class="failed-banner">CHECK FAILED — the ${escapeHtml(c.what)} below disagrees with finite differences. Do not use it.</p>`);
  // The input as typed, its control characters shown (a page must not hide part of what was read).
  body.push('<h2>Input</h2>', `<pre class="input">${escapeHtml(visibleControls(c.source))}</pre>`);
  body.push(`<div class="math">${render(c.function, true)}</div>`);
  body.push('<h2>Shapes</h2>', `<div class="math">${render(c.shapes, false)}</div>`);
  if (c.derivation) body.push('<h2>Derivation</h2>', `<div class="math">${render(c.derivation, true)}</div>`);
  body.push(`<h2>${escapeHtml(c.what[0]!.toUpperCase() + c.what.slice(1))}</h2>`, `<div class="math">${render(c.result, true)}</div>`);
  if (c.at) body.push('<h2>At the point</h2>', `<div class="math">${render(c.at.point, false)}</div>`, `<div class="math">${render(c.at.block, true)}</div>`);
  if (c.graph) {
    body.push('<h2>Computational graph</h2>', `<div class="graph">${c.graph.svg}</div>`);
    if (c.graph.note) body.push(`<p class="graph-note">${escapeHtml(c.graph.note)}</p>`);
  }
  body.push('<h2>Numeric check</h2>', `<p class="check ${c.check.status}">${escapeHtml(c.check.text)}</p>`);
  if (c.notes.length > 0) {
    body.push('<h2>Notes</h2>', `<ul class="notes">${c.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`);
  }
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(visibleLine(`${c.symbol} ${[...c.source.replace(/\s+/g, ' ')].slice(0, 80).join('')}`))}</title>
<style>${inlinedKatexCss()}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}

