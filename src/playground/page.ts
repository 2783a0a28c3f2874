import { escapeHtml } from '../emit/escape.js';

/**
 * The playground's HTML: the static markup, the styles and the two bundled scripts (the page's,
 * ui.ts with KaTeX; the engine's, worker.ts), assembled by scripts/bundle-playground.mjs into dist/playground.html. Everything is
 * inline; the Content-Security-Policy forbids every fetch, so the page cannot reach the network
 * even by mistake (fonts are data: URLs inside KaTeX's CSS; the engine's worker is a blob: URL of
 * the engine's script, which the page carries).
 */

const CSP = ["default-src 'none'", "script-src 'unsafe-inline'", "style-src 'unsafe-inline'", 'font-src data:', 'img-src data:', 'worker-src blob:', "base-uri 'none'", "form-action 'none'"].join('; ');

const PAGE_CSS = `
:root { --ink: #1b1b1b; --muted: #5a5a5a; --line: #d9d9d9; --accent: #1f5fa8; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 64rem; margin: 1.5rem auto; padding: 0 1rem; color: var(--ink); line-height: 1.45; }
h1 { font-size: 1.35rem; margin: 0; }
header p { margin: 0.15rem 0 1rem; color: var(--muted); }
label { display: block; font-size: 0.8rem; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: 0.03em; }
textarea, input, select { font: 1.05rem ui-monospace, "DejaVu Sans Mono", monospace; width: 100%; padding: 0.45rem 0.55rem; border: 1px solid var(--line); border-radius: 5px; margin-top: 0.2rem; color: var(--ink); background: white; }
textarea { resize: vertical; min-height: 2.8rem; }
textarea:focus, input:focus, select:focus { outline: 2px solid var(--accent); outline-offset: -1px; }
.row { display: grid; grid-template-columns: 8rem 1fr 1.4fr 1.4fr; gap: 0.6rem; margin-top: 0.6rem; }
.examples { margin-top: 0.6rem; font-size: 0.85rem; color: var(--muted); }
.examples button { font: inherit; background: none; border: none; color: var(--accent); cursor: pointer; padding: 0 0.3rem; text-decoration: underline; }
pre.error { background: #ffebee; border-left: 5px solid #c62828; color: #7f1010; padding: 0.6rem 0.8rem; border-radius: 4px; overflow-x: auto; font: 0.95rem/1.35 ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre; margin: 0.6rem 0 0; }
.status { font-size: 0.8rem; color: var(--muted); margin: 0.5rem 0 0; min-height: 1.1rem; }
section { margin-top: 1rem; }
h2 { font-size: 0.85rem; margin: 1.1rem 0 0.2rem; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
.math { overflow-x: auto; overflow-y: hidden; padding: 0.1rem 0; }
.math .katex-display { margin: 0.35rem 0; }
.math .katex-display > .katex { text-align: left; }
.plain { font: 0.9rem ui-monospace, "DejaVu Sans Mono", monospace; color: var(--muted); white-space: pre-wrap; margin: 0.2rem 0 0; }
.result { border: 1px solid var(--line); border-radius: 6px; padding: 0.4rem 0.9rem 0.6rem; }
.check { padding: 0.45rem 0.7rem; border-radius: 4px; border-left: 5px solid; margin: 0; }
.check.passed { background: #eef8ee; border-color: #2e7d32; }
.check.inconclusive { background: #fff8e1; border-color: #f9a825; }
.check.skipped { background: #f4f4f4; border-color: #999; }
.check.failed { background: #ffebee; border-color: #c62828; color: #b71c1c; font-weight: bold; }
details { margin-top: 0.8rem; }
summary { cursor: pointer; font-size: 0.85rem; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
details pre { background: #f6f6f6; padding: 0.6rem 0.8rem; border-radius: 4px; overflow-x: auto; font-size: 0.85rem; }
#graph-picture { overflow-x: auto; }
.copy { margin-top: 0.8rem; display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
.copy button { font: 0.9rem system-ui, sans-serif; padding: 0.35rem 0.8rem; border: 1px solid var(--accent); color: var(--accent); background: white; border-radius: 5px; cursor: pointer; }
.copy button:hover { background: #eef3fa; }
.copy .note { font-size: 0.8rem; color: var(--muted); }
ul.notes { margin: 0; padding-left: 1.2rem; color: var(--muted); }
[hidden] { display: none !important; }
@media (max-width: 44rem) { .row { grid-template-columns: 1fr 1fr; } }
`;

const BODY = `
<header>
<h1>matcalc playground</h1>
<p>Symbolic matrix calculus in this page, offline: gradients, differentials, Jacobians and Hessians, each checked against finite differences.</p>
</header>
<main>
<div>
<label for="expr">Expression</label>
<textarea id="expr" data-testid="expr" rows="2" spellcheck="false" autocomplete="off" autocapitalize="off" placeholder="x'*A*x   or   aᵀexp(Xb)   or   Y = σ(WX); ⟨Y, MY⟩"></textarea>
</div>
<div class="row">
<div><label for="cmd">Command</label>
<select id="cmd" data-testid="cmd"><option value="grad">grad</option><option value="diff">diff</option><option value="jac">jac</option><option value="hess">hess</option></select></div>
<div><label for="wrt">With respect to</label><input id="wrt" data-testid="wrt" spellcheck="false" autocomplete="off" placeholder="x   or   W1,W2"></div>
<div><label for="dims">Dimensions</label><input id="dims" data-testid="dims" spellcheck="false" autocomplete="off" placeholder="X=3x4, a=3 (optional)"></div>
<div><label for="assume">Assumptions</label><input id="assume" data-testid="assume" spellcheck="false" autocomplete="off" placeholder="S:spd, x:positive (optional)"></div>
</div>
<div class="examples" id="examples">Examples:</div>
<pre class="error" id="error" data-testid="error" hidden></pre>
<p class="status" id="status" data-testid="status" aria-live="polite"></p>
<section id="output" hidden>
<h2>Read as</h2>
<div class="math" id="read-math"></div>
<p class="plain" id="read" data-testid="read"></p>
<h2 id="result-title">Result</h2>
<div class="result">
<div class="math" id="result-math"></div>
<pre class="plain" id="gradient" data-testid="gradient"></pre>
</div>
<h2>Shapes</h2>
<p class="plain" id="shapes" data-testid="shapes"></p>
<h2>Numeric check</h2>
<p class="check" id="check" data-testid="check"></p>
<div id="notes-block" hidden><h2>Notes</h2><ul class="notes" id="notes"></ul></div>
<details id="derivation" data-testid="derivation"><summary id="derivation-title">Derivation</summary><div class="math" id="derivation-math"></div><pre class="plain" id="derivation-text"></pre></details>
<details id="graph" data-testid="graph"><summary>Computational graph</summary><div id="graph-picture" data-testid="graph-picture"></div><p class="note" id="graph-note"></p></details>
<div class="copy">
<button type="button" id="copy-latex" data-testid="copy-latex">Copy LaTeX</button>
<button type="button" id="copy-numpy" data-testid="copy-numpy">Copy NumPy</button>
<button type="button" id="copy-torch" data-testid="copy-torch">Copy PyTorch</button>
<span class="note" id="copy-note"></span>
</div>
<details><summary>NumPy module</summary><pre id="numpy-code" data-testid="numpy-code"></pre></details>
<details id="torch-block"><summary>PyTorch module</summary><pre id="torch-code" data-testid="torch-code"></pre></details>
</section>
</main>
`;

/** A script's text inline: it must not contain `</script` or `<!--`, which would end or change the element. */
function inlineScript(name: string, text: string): string {
  if (/<\/script/i.test(text) || /<!--/.test(text)) throw new Error(`the playground's ${name} script contains </script or <!--, which would end the inline script`);
  return text;
}

/**
 * The complete page. `script` is the page's bundle (ui.ts and KaTeX); `engine` is the engine's
 * (worker.ts), carried as inert text (type="text/plain") that the page starts as a Web Worker: the
 * page does not compile the engine itself, so it does not pay for it twice.
 */
export function playgroundPage(parts: { readonly katexCss: string; readonly script: string; readonly engine: string; readonly version: string }): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="matcalc ${escapeHtml(parts.version)}">
<title>matcalc playground</title>
<style>${parts.katexCss}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
${BODY}
<script type="text/plain" id="matcalc-engine">${inlineScript('engine', parts.engine)}</script>
<script>${inlineScript('page', parts.script)}</script>
</body>
</html>
`;
}
