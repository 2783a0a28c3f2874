import { afterEach, describe, expect, test, vi } from 'vitest';
import { FORMATS } from '../../src/emit/formats.js';
import { formatHtml } from '../../src/emit/document.js';
import { formatLatex } from '../../src/emit/document.js';
import { derivative, gradient } from '../../src/pipeline.js';
import { DERIVATIVE_DIRS, derivativeRequest, GOLDEN_DIRS, listExamples } from '../helpers/examples.js';
import { createRng } from '../../src/verify/random.js';
import { compileDocuments, hasPdflatex, type TexVerdict } from '../helpers/pdflatex.js';
import { scratchFolders } from '../helpers/scratch.js';

/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('every-tex');

/**
 * Every document matcalc writes is valid for its consumer (issue 17): each standalone LaTeX file
 * compiles with pdflatex with no error, no missing character and no overfull line, and each HTML
 * page renders every formula with KaTeX with no error and no LaTeX-incompatible input (KaTeX's
 * strict-mode warning, which would also be a pdflatex failure). Over every golden example
 * (examples/**), over random names (Greek capitals and small letters, subscripts, underscores),
 * and over inputs that try to escape the document's comments.
 */

interface Doc {
  readonly name: string;
  readonly latex: string;
  readonly html: () => string;
}

function gradientDoc(name: string, request: Parameters<typeof gradient>[0]): Doc {
  const result = gradient({ ...request, steps: true });
  if (!result.ok) throw new Error(`${name}: ${result.diagnostics[0]!.message}`);
  return { name, latex: formatLatex(result.value, { steps: true, standalone: true }), html: () => formatHtml(result.value) };
}

function derivativeDoc(name: string, request: Parameters<typeof derivative>[0]): Doc {
  const result = derivative({ ...request, steps: true });
  if (!result.ok) throw new Error(`${name}: ${result.diagnostics[0]!.message}`);
  const options = { steps: true, standalone: true };
  return { name, latex: FORMATS.latex!(result.value, options), html: () => FORMATS.html!(result.value, options) };
}

const goldenDocs = (): Doc[] => [
  ...listExamples(GOLDEN_DIRS).map((e) => gradientDoc(e.name, { expression: e.expression, wrt: e.wrt, dims: e.dims, assume: e.assume, seed: 1 })),
  ...listExamples(DERIVATIVE_DIRS).map((e) => derivativeDoc(e.name, derivativeRequest(e))),
];

/** Letters the grammar admits in names, weighted towards the ones emitters must translate. */
const LETTERS = [...'abxyzABWXαβλσωΑΒΕΖΗΙΚΜΝΟΡΤΥΧΓΔΘΛΞΠΣΦΨΩ'];
const SUBSCRIPTS = ['', '', '1', '₂', '_3', '_k', '₁₀'];

/** A random variable name: one or two letters and a subscript, e.g. `Ωβ₂`, `Α_3`, `x`. */
function randomName(rng: () => number): string {
  const pick = <T,>(list: readonly T[]) => list[Math.floor(rng() * list.length)]!;
  const letters = rng() < 0.3 ? pick(LETTERS) + pick(LETTERS) : pick(LETTERS);
  return letters + pick(SUBSCRIPTS);
}

/** Expressions over three names (a vector u, a matrix M, a vector v), every product explicit. */
const TEMPLATES = [
  (u: string, m: string, v: string) => `${u}'*${m}*${v}`,
  (u: string, m: string, v: string) => `${u}'*exp(${m}*${v})`,
  (u: string, m: string, v: string) => `norm2(${m}*${v} - ${u})^2 + tr(${m}'*${m})`,
  (u: string, m: string, v: string) => `sum(sigmoid(${m}*${v})) / (${u}'*${u} + 1)`,
];

function randomNameDocs(count: number, seed: number): Doc[] {
  const generator = createRng(seed);
  const rng = () => generator.next();
  const docs: Doc[] = [];
  while (docs.length < count) {
    const names = [randomName(rng), randomName(rng), randomName(rng)];
    if (new Set(names).size < 3) continue;
    const [u, m, v] = names as [string, string, string];
    const template = TEMPLATES[docs.length % TEMPLATES.length]!;
    const expression = template(u, m, v);
    // The shapes are declared: a capital first letter would otherwise make u a matrix.
    const request = { expression, wrt: [u, m, v], dims: `${u}=3,${m}=3x3,${v}=3`, seed: 1 };
    docs.push(docs.length % 2 === 0 ? gradientDoc(`random ${expression}`, request) : derivativeDoc(`random jac ${expression}`, { ...request, command: 'hess', wrt: [v] }));
  }
  return docs;
}

/** Inputs that try to end the TeX comment the input is quoted in, or to break the page. */
const HOSTILE_SOURCES = [
  "x'x\r\\input{/etc/passwd}+sum(x)",
  "x'x\n\\input{/etc/passwd}",
  "x'x\r\n\\documentclass{x}\u2028\\end{document}",
  'x\'x % } { $ & # ^ _ ~ \\ \u001b]0;PWNED\u0007 </pre><script>',
];

function hostileDocs(): Doc[] {
  return HOSTILE_SOURCES.map((text, i) => {
    const result = gradient({ expression: "x'x", wrt: 'x', steps: true });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    const report = { ...result.value, source: { name: '<input>', text } };
    return { name: `hostile source ${i}`, latex: formatLatex(report, { steps: true, standalone: true }), html: () => formatHtml(report) };
  });
}

/** Made once per file: the pdflatex and the KaTeX test read the same documents. */
let docs: Doc[] | undefined;
const allDocs = (): Doc[] => (docs ??= [...goldenDocs(), ...randomNameDocs(24, 17), ...hostileDocs()]);

/** What pdflatex must not say about a document matcalc wrote. */
const LOG_PROBLEMS = /^!|Overfull \\[hv]box|Missing character|Unicode character|Undefined control sequence/;

if (!hasPdflatex) console.warn('skipping the pdflatex compilation of every document: pdflatex is not installed (Debian: texlive-latex-base)');

describe('LaTeX: every document compiles cleanly', () => {
  test('nothing of a hostile input is outside the comment before \\documentclass', () => {
    for (const doc of hostileDocs()) {
      const preamble = doc.latex.slice(0, doc.latex.indexOf('\\documentclass'));
      for (const line of preamble.split(/\r\n|[\n\r\u2028\u2029]/)) expect(line === '' || line.startsWith('%'), `${doc.name}: ${JSON.stringify(line)}`).toBe(true);
    }
  });

  // One pdflatex run per preamble for all documents (test/helpers/pdflatex.ts), each judged on its own part of the log.
  test.skipIf(!hasPdflatex)('pdflatex: no error, no missing character, no overfull box', { timeout: 300_000 }, () => {
    const dir = scratch();
    const docs = allDocs();
    const problemsOf = (v: TexVerdict) => v.log.split('\n').filter((l) => LOG_PROBLEMS.test(l));
    const verdicts = compileDocuments(docs, dir, (v) => v.status === 0 && problemsOf(v).length === 0);
    const problems: string[] = [];
    for (const v of verdicts) {
      const found = problemsOf(v);
      if (v.status !== 0 || found.length > 0) problems.push(`${v.name} (${v.file} in ${dir}): exit ${v.status}: ${found.slice(0, 3).join(' | ')}`);
      expect(v.log).not.toContain('/etc/passwd');
    }
    expect(docs.length).toBeGreaterThan(70);
    expect(problems).toEqual([]);
  });
});

describe('HTML: every page renders every formula', () => {
  afterEach(() => vi.restoreAllMocks());

  test('KaTeX: no error and no LaTeX-incompatible input, on every page', { timeout: 120_000 }, () => {
    // KaTeX reports input pdflatex would reject (a raw Greek capital in math) through console.warn.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    for (const doc of allDocs()) {
      const html = doc.html();
      expect(html, doc.name).not.toContain('katex-error');
      expect(html, doc.name).not.toContain('<script');
      expect(html, doc.name).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([]);
  });
});
