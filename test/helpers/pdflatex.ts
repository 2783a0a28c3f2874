import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * pdflatex over many standalone documents, with a verdict per document, in few pdflatex runs:
 * starting pdflatex and loading its format costs ~0.3 s of CPU per run, which made compiling some 80
 * documents one by one the slowest part of the document tests. Documents with the same preamble
 * (from \documentclass to \begin{document}) are compiled as ONE document: that preamble once, then
 * each document's lines before \documentclass (its comments) and its body, in a group of its own,
 * on pages of its own, after a marker written to the log; the log is cut at the markers, so each
 * line of the log is charged to the document that produced it. The run must reach the end marker
 * (no document may end the run early, e.g. by an \end{document} of its own).
 *
 * When a combined run is not clean, its documents are compiled again one by one, exactly as before
 * (`pdflatex -interaction=nonstopmode -halt-on-error FILE`), and those runs give the verdicts:
 * a failure is reported for the document that fails alone, with its own log. A combined run that is
 * not clean while every document is clean alone is itself reported (the combination, not a
 * document, would be at fault), so a problem is never dropped.
 */

/** Whether pdflatex runs here (Debian: texlive-latex-base); the tests that need it are skipped otherwise. */
export const hasPdflatex = spawnSync('pdflatex', ['--version'], { encoding: 'utf8' }).status === 0;

export interface TexDoc {
  readonly name: string;
  readonly latex: string;
}

export interface TexVerdict {
  readonly name: string;
  /** The file compiled alone, or the combined file the document was part of. */
  readonly file: string;
  /** pdflatex's exit status for that file. */
  readonly status: number | null;
  /** The document's part of the log. */
  readonly log: string;
}

/** \tracinglostchars=2: a character missing from the font is reported in the log. */
const COMMAND = (file: string) => ['-interaction=nonstopmode', '-halt-on-error', `\\tracinglostchars=2\\input{${file}}`];
const MARK = 'MATCALC-DOCUMENT';
const END = 'MATCALC-END-OF-DOCUMENTS';

interface Parts {
  readonly comments: string;
  readonly preamble: string;
  readonly body: string;
}

/** A standalone document's parts, or undefined when it is not one (it is then compiled alone). */
function partsOf(latex: string): Parts | undefined {
  // At the start of a line: the comments before may quote the commands (a hostile input).
  const start = latex.search(/(?<=^|[\n\r])\\documentclass/);
  const begin = latex.indexOf('\n\\begin{document}', start) + 1;
  const end = latex.lastIndexOf('\n\\end{document}') + 1;
  if (start < 0 || begin <= start || end <= begin) return undefined;
  const comments = latex.slice(0, start);
  // Only comment lines may come before \documentclass for the document to be moved into a body.
  if (!comments.split(/\r\n|[\n\r]/).every((line) => line === '' || line.startsWith('%'))) return undefined;
  if (latex.slice(end + '\\end{document}'.length).trim() !== '') return undefined;
  return { comments, preamble: latex.slice(start, begin + '\\begin{document}'.length), body: latex.slice(begin + '\\begin{document}'.length, end) };
}

function compile(dir: string, file: string): { status: number | null; log: string } {
  const run = spawnSync('pdflatex', COMMAND(`${file}.tex`), { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  const logFile = join(dir, `${file}.log`);
  return { status: run.status, log: existsSync(logFile) ? readFileSync(logFile, 'utf8') : `${run.stdout}\n${run.stderr}` };
}

function alone(dir: string, doc: TexDoc, i: number): TexVerdict {
  const file = `doc${i}`;
  writeFileSync(join(dir, `${file}.tex`), doc.latex);
  return { name: doc.name, file: `${file}.tex`, ...compile(dir, file) };
}

/**
 * Compiles every document in `dir`; `clean(verdict)` says whether a verdict is clean (the caller's
 * rule, e.g. exit 0 and no overfull box); verdicts in the order of `docs`.
 */
export function compileDocuments(docs: readonly TexDoc[], dir: string, clean: (v: TexVerdict) => boolean): TexVerdict[] {
  const verdicts: TexVerdict[] = new Array(docs.length);
  const groups = new Map<string, number[]>();
  docs.forEach((doc, i) => {
    const parts = partsOf(doc.latex);
    if (parts === undefined) verdicts[i] = alone(dir, doc, i);
    else groups.set(parts.preamble, [...(groups.get(parts.preamble) ?? []), i]);
  });
  [...groups.entries()].forEach(([preamble, members], g) => {
    const file = `combined${g}`;
    const bodies = members.map((i) => {
      const parts = partsOf(docs[i]!.latex)!;
      return `\\clearpage\\typeout{${MARK} ${i}}\n${parts.comments}\\begingroup${parts.body}\\endgroup\n`;
    });
    writeFileSync(join(dir, `${file}.tex`), `${preamble}\n${bodies.join('')}\\clearpage\\typeout{${END}}\n\\end{document}\n`);
    const run = compile(dir, file);
    const logs = splitLog(run.log, members);
    const combined = members.map((i) => ({ name: docs[i]!.name, file: `${file}.tex`, status: run.status, log: logs.get(i) ?? '' }));
    const ended = run.status === 0 && run.log.split('\n').includes(END);
    if (ended && combined.every(clean)) {
      members.forEach((i, k) => (verdicts[i] = combined[k]!));
      return;
    }
    // Not clean: each document alone, as pdflatex would see it.
    const single = members.map((i) => alone(dir, docs[i]!, i));
    members.forEach((i, k) => (verdicts[i] = single[k]!));
    if (single.every(clean)) {
      const i = members[0]!;
      verdicts[i] = { name: `${docs[i]!.name} (and the ${members.length - 1} others of ${file}.tex: each is clean alone, not combined)`, file: `${file}.tex`, status: run.status === 0 && !ended ? 1 : run.status, log: run.log };
    }
  });
  return verdicts;
}

/** The log cut at the markers: each document's part (the preamble's part goes to the first, the end's to the last). */
function splitLog(log: string, members: readonly number[]): Map<number, string> {
  const parts = new Map<number, string[]>(members.map((i) => [i, []]));
  const mark = new RegExp(`^${MARK} (\\d+)$`);
  let current = members[0]!;
  for (const line of log.split('\n')) {
    const found = mark.exec(line);
    if (found !== null) current = Number(found[1]);
    else parts.get(current)!.push(line);
  }
  return new Map([...parts].map(([i, lines]) => [i, lines.join('\n')]));
}
