import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatLatex } from '../../src/emit/document.js';
import { run } from '../../src/pipeline.js';
import type { Command } from '../../src/report.js';
import { compileDocuments, hasPdflatex, type TexVerdict } from '../helpers/pdflatex.js';
import { scratchFolders } from '../helpers/scratch.js';

/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('tex');

/**
 * `--format latex --standalone` is a document a person can compile: where pdflatex is installed
 * (Debian's texlive-latex-base), compile a few and require no LaTeX error. Skipped otherwise.
 */
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

const LOG_PROBLEMS = /^!|Overfull \\[hv]box|Undefined control sequence/;
const problemsOf = (v: TexVerdict) => v.log.split('\n').filter((l) => LOG_PROBLEMS.test(l));
const clean = (v: TexVerdict) => v.status === 0 && problemsOf(v).length === 0;

function documentOf(command: Command, expression: string, wrt: string): string {
  const result = run({ command, expression, wrt, steps: true });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  return formatLatex(result.value, { steps: true, standalone: true });
}

// One pdflatex run for the documents with one preamble (test/helpers/pdflatex.ts).
test.skipIf(!hasPdflatex)('standalone LaTeX documents of every command compile with pdflatex', () => {
  const dir = scratch();
  const docs = CASES.map(([command, expression, wrt]) => ({ name: `${command} ${expression}`, latex: documentOf(command, expression, wrt) }));
  for (const v of compileDocuments(docs, dir, (x) => x.status === 0)) {
    expect(v.status, `${v.name}:\n${v.log.split('\n').filter((l) => l.startsWith('!')).join('\n')}`).toBe(0);
    expect(existsSync(join(dir, v.file.replace(/\.tex$/, '.pdf')))).toBe(true);
  }
}, 180_000);

describe.skipIf(!hasPdflatex)('compiling documents together (test/helpers/pdflatex.ts) keeps a verdict per document', () => {
  const base = documentOf('grad', "x'*A*x", 'x');
  const withBody = (extra: string) => base.replace('\\end{document}', `${extra}\n\\end{document}`);

  test('each document gets its own part of the log', () => {
    const docs = [0, 1, 2].map((i) => ({ name: `doc ${i}`, latex: withBody(`\\typeout{PART-OF-${i}}`) }));
    const verdicts = compileDocuments(docs, scratch(), clean);
    expect(verdicts.map((v) => v.file)).toEqual(['combined0.tex', 'combined0.tex', 'combined0.tex']);
    verdicts.forEach((v, i) => {
      expect(v.status).toBe(0);
      expect(v.log.match(/PART-OF-\d/g)).toEqual([`PART-OF-${i}`]);
    });
  });

  test('an error or an overfull line is charged to its document alone, from a run of its own', () => {
    const docs = [
      { name: 'clean', latex: base },
      { name: 'undefined', latex: withBody('\\undefinedmacro') },
      { name: 'overfull', latex: withBody('\\noindent\\hbox to 2\\linewidth{x}') },
    ];
    const verdicts = compileDocuments(docs, scratch(), clean);
    expect(verdicts.map((v) => [v.name, v.file, clean(v)])).toEqual([
      ['clean', 'doc0.tex', true],
      ['undefined', 'doc1.tex', false],
      ['overfull', 'doc2.tex', false],
    ]);
    expect(problemsOf(verdicts[1]!).join('\n')).toContain('Undefined control sequence');
    expect(problemsOf(verdicts[2]!).join('\n')).toContain('Overfull \\hbox');
  });

  test('a combination that fails while each document is clean alone is reported, not dropped', () => {
    // A global definition at the end of a body is harmless alone and breaks the next document's \section.
    const docs = [0, 1].map((i) => ({ name: `doc ${i}`, latex: withBody('\\global\\let\\section\\undefinedmacro') }));
    const verdicts = compileDocuments(docs, scratch(), clean);
    expect(verdicts.filter((v) => !clean(v)).map((v) => v.file)).toEqual(['combined0.tex']);
    // A document that ends the run early (an \end{document} of its own): the documents after it were never compiled.
    const early = [{ name: 'ends early', latex: withBody('\\end{document}') }, { name: 'after it', latex: base }];
    const [first, second] = compileDocuments(early, scratch(), clean);
    expect([first!.file, clean(first!), second!.file, clean(second!)]).toEqual(['combined0.tex', false, 'doc1.tex', true]);
  });
});
