import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { renderDiagnostic } from '../../src/diagnostics/render.js';
import { locate } from '../../src/diagnostics/span.js';
import { visibleControls, visibleLine } from '../../src/emit/escape.js';
import { gradient } from '../../src/pipeline.js';
import { MAX_NESTING_DEPTH } from '../../src/syntax/parse.js';

/**
 * The bad-input corpus: every examples/errors/NAME.mc is run through the pipeline and its rendered
 * message compared with NAME.expected.txt (exactly what `matcalc grad` prints on stderr with
 * NO_COLOR). A handful also go through the built binary, to check exit code 2 and the absence of
 * stack traces end to end.
 *
 * A .mc file starts with optional option lines, then the expression (the rest of the file, less
 * one final newline):
 *   # wrt: X            (default: x)
 *   # dims: X=3x4,a=3
 *   # assume: S:symmetric
 *   # max-nodes: 2
 *
 * UPDATE_ERRORS=1 rewrites the .expected.txt files; review the diff before committing. Cases in
 * KNOWN_ISSUES have a message that is wrong or unclear: they are expected to fail here and have no
 * .expected.txt; once fixed, remove the entry, regenerate, read the new message, and commit it.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const corpusDir = path.join(root, 'examples', 'errors');
const bin = path.join(root, 'dist', 'src', 'cli', 'matcalc.js');
const update = process.env.UPDATE_ERRORS === '1';

const KNOWN_ISSUES: Record<string, string> = {};

/** Diagnostics that legitimately have no position in the expression or an option string. */
const WITHOUT_POSITION = new Set<string>(['syntax/too-large']);

interface Case {
  readonly name: string;
  readonly wrt: string;
  readonly dims?: string;
  readonly assume?: string;
  readonly maxNodes?: number;
  readonly expression: string;
}

function parseCase(name: string, text: string): Case {
  const lines = text.split('\n');
  const options: Record<string, string> = {};
  while (lines.length > 0) {
    const m = /^# (wrt|dims|assume|max-nodes):(?: (.*))?$/.exec(lines[0]!);
    if (!m) break;
    options[m[1]!] = m[2] ?? '';
    lines.shift();
  }
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return {
    name,
    wrt: options.wrt ?? 'x',
    dims: options.dims,
    assume: options.assume,
    maxNodes: options['max-nodes'] === undefined ? undefined : Number(options['max-nodes']),
    expression: lines.join('\n'),
  };
}

const cases: Case[] = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.mc'))
  .sort()
  .map((f) => parseCase(f.slice(0, -3), readFileSync(path.join(corpusDir, f), 'utf8')));

function expectedPath(c: Case): string {
  return path.join(corpusDir, `${c.name}.expected.txt`);
}

/** What the CLI writes to stderr for a failed result (NO_COLOR). */
function render(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${renderDiagnostic(d)}\n`).join('');
}

function runInProcess(c: Case): { ok: boolean; diagnostics: readonly Diagnostic[]; text: string } {
  const result = gradient({ expression: c.expression, wrt: c.wrt, dims: c.dims, assume: c.assume, maxNodes: c.maxNodes, check: false });
  if (result.ok) return { ok: true, diagnostics: [], text: '' };
  return { ok: false, diagnostics: result.diagnostics, text: render(result.diagnostics) };
}

function cliArgs(c: Case): string[] {
  const args = ['grad', c.expression, '--wrt', c.wrt];
  if (c.dims !== undefined) args.push('--dims', c.dims);
  if (c.assume !== undefined) args.push('--assume', c.assume);
  if (c.maxNodes !== undefined) args.push('--max-nodes', String(c.maxNodes));
  return args;
}

function runBinary(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end();
  });
}

/** No stack frames, no JavaScript error names, no internal-error banner. */
function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/\b[A-Za-z]*Error\b:/);
  expect(text).not.toContain('internal error');
  expect(text).not.toContain('undefined');
  expect(text).not.toContain('[object ');
}

/** Every positioned diagnostic shows `--> source:line:column`, the source line and a caret under the column. */
function expectPositions(diagnostics: readonly Diagnostic[], text: string): void {
  for (const d of diagnostics) {
    expect(d.message).not.toBe('');
    expect(text).toContain(`error[${d.code}]: ${visibleControls(d.message)}`);
    if (!WITHOUT_POSITION.has(d.id)) {
      expect(d.source, `${d.id} has no source`).toBeDefined();
      expect(d.span, `${d.id} has no span`).toBeDefined();
    }
    if (!d.source || !d.span) continue;
    const where = locate(d.source.text, d.span.start);
    const arrow = ` --> ${d.source.name}:${where.line}:${where.column}`;
    expect(text).toContain(arrow);
    const lines = text.split('\n');
    const i = lines.findIndex((l) => l.endsWith(arrow));
    const sourceLine = lines[i + 2]!;
    const caretLine = lines[i + 3]!;
    expect(sourceLine).toMatch(new RegExp(`^${where.line} \\| `));
    const caret = /^ +\| ( *)(\^+)$/.exec(caretLine);
    expect(caret, `no caret line in:\n${text}`).not.toBeNull();
    if ([...where.lineText].length <= 100) {
      // Control characters are shown as U+XXXX, and the caret moves with them.
      const shownLine = visibleLine(where.lineText.replace(/\t/g, ' '));
      expect(caret![1]!.length).toBe([...visibleLine([...where.lineText.replace(/\t/g, ' ')].slice(0, where.column - 1).join(''))].length);
      expect(sourceLine.slice(sourceLine.indexOf('| ') + 2)).toBe(shownLine);
    }
  }
}

function checkCase(c: Case): void {
  const result = runInProcess(c);
  expect(result.ok, `${c.name} was accepted`).toBe(false);
  expect(result.text).toMatch(/^error\[MC\d{4}\]: \S/);
  expectNoStackTrace(result.text);
  expectPositions(result.diagnostics, result.text);
  const file = expectedPath(c);
  if (update && !(c.name in KNOWN_ISSUES)) writeFileSync(file, result.text);
  expect(existsSync(file), `${c.name}.expected.txt is missing (UPDATE_ERRORS=1 generates it)`).toBe(true);
  expect(result.text).toBe(readFileSync(file, 'utf8'));
}

describe('the bad-input corpus (examples/errors)', () => {
  it('has at least 40 cases, each with an expected message or a known issue', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const name of Object.keys(KNOWN_ISSUES)) expect(cases.some((c) => c.name === name), `unknown KNOWN_ISSUES entry ${name}`).toBe(true);
    for (const f of readdirSync(corpusDir).filter((x) => x.endsWith('.expected.txt'))) {
      expect(existsSync(path.join(corpusDir, f.replace(/\.expected\.txt$/, '.mc'))), `${f} has no .mc`).toBe(true);
    }
  });

  for (const c of cases) {
    const issue = KNOWN_ISSUES[c.name];
    if (issue === undefined) {
      it(c.name, () => checkCase(c));
    } else {
      // Fails today; when this starts passing, remove the KNOWN_ISSUES entry.
      it.fails(`${c.name} (known issue: ${issue})`, () => checkCase(c));
    }
  }
});

describe('deep nesting', () => {
  const nested = (levels: number) => `sum(${'exp('.repeat(levels - 1)}x${')'.repeat(levels)}`;

  it('beyond the limit: MC1008 with a caret at the first bracket past the limit', () => {
    const c: Case = { name: 'too-deep', wrt: 'x', expression: nested(MAX_NESTING_DEPTH + 100) };
    const result = runInProcess(c);
    expect(result.ok).toBe(false);
    const d = result.diagnostics[0]!;
    expect(d.id).toBe('syntax/too-deep');
    expect(d.message).toBe(`the expression nests ${MAX_NESTING_DEPTH + 100} levels deep; the limit is ${MAX_NESTING_DEPTH}`);
    // 'sum(' is level 1; level MAX+1 is opened by the '(' of the MAX-th 'exp('.
    expect(d.span!.start).toBe(4 + 4 * (MAX_NESTING_DEPTH - 1) + 3);
    expectNoStackTrace(result.text);
    expectPositions(result.diagnostics, result.text);
    // The snippet of a long line is windowed around the caret.
    expect(result.text).toContain('…');
    expect(Math.max(...result.text.split('\n').map((l) => [...l].length))).toBeLessThan(120);
  });

  // Each level costs the Chevrotain parser a dozen stack frames: an expression within the limit
  // must parse, and must never be rejected with "nests 601 levels deep; the limit is 1000".
  it('within the limit: parses (in process and through the binary)', async () => {
    const expression = nested(MAX_NESTING_DEPTH - 1);
    const result = runInProcess({ name: 'deep-ok', wrt: 'x', expression });
    expect(result.text).toBe('');
    expect(result.ok).toBe(true);
    const r = await runBinary(['grad', expression, '--wrt', 'x', '--no-check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^f = .*\n∇_x f = /);
  });

  it('through the binary: exit code 2, no stack trace', async () => {
    const r = await runBinary(['grad', nested(MAX_NESTING_DEPTH + 100), '--wrt', 'x']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error\[MC1008\]: the expression nests \d+ levels deep; the limit is \d+\n --> <input>:1:\d+\n/);
    expectNoStackTrace(r.stderr);
  });
});

describe.concurrent('the corpus through the built binary', () => {
  const sample = [
    'character-emoji-second-line',
    'input-empty',
    'shape-matmul',
    'dims-second-entry',
    'program-too-large',
    'wrt-definition',
    'character-emoji-name',
    'shape-inner-different-lengths',
    'dims-huge-matrix-second',
  ];
  for (const name of sample) {
    it(name, async () => {
      const c = cases.find((x) => x.name === name);
      expect(c, `examples/errors/${name}.mc is missing`).toBeDefined();
      const r = await runBinary(cliArgs(c!));
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expectNoStackTrace(r.stderr);
      expect(r.stderr).toBe(readFileSync(expectedPath(c!), 'utf8'));
    });
  }
});
