import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { scratchFolders } from '../helpers/scratch.js';

/**
 * The import-order check (`npm run deps`, .dependency-cruiser.cjs) run on a small tree made for it:
 * each file below breaks one rule (or must break none), and the check must report exactly those.
 * The real tree is checked by .ci/run; this proves the check can fail.
 */
const root = resolve(import.meta.dirname, '../..');
const config = join(root, '.dependency-cruiser.cjs');

const FILES: Record<string, string> = {
  // A loop between folders with no loop between files: term/a → syntax/b, syntax/c → term/d.
  'src/term/a.ts': "import { b } from '../syntax/b.js';\nexport const a = b;\n",
  'src/syntax/b.ts': 'export const b = 1;\n',
  'src/syntax/c.ts': "import { d } from '../term/d.js';\nexport const c = d;\n",
  'src/term/d.ts': 'export const d = 1;\n',
  // A loop between files of two folders.
  'src/shape/s.ts': "import { r } from '../rewrite/r.js';\nexport const s = () => r;\n",
  'src/rewrite/r.ts': "import { s } from '../shape/s.js';\nexport const r = () => s;\n",
  // A loop between files of one folder.
  'src/differentiate/x.ts': "import { y } from './y.js';\nexport const x = () => y;\n",
  'src/differentiate/y.ts': "import { x } from './x.js';\nexport const y = () => x;\n",
  'src/differentiate/k.ts': 'export interface K { readonly k: string }\n',
  // The checker running the engine: not allowed; using its types: allowed.
  'src/verify/v.ts': "import { x } from '../differentiate/x.js';\nexport const v = x;\n",
  'src/verify/w.ts': "import type { K } from '../differentiate/k.js';\nexport const w = (k: K) => k.k;\n",
  // An emitter importing the composition above it; an allowed downward import.
  'src/pipeline.ts': 'export const p = 1;\n',
  'src/emit/e.ts': "import { p } from '../pipeline.js';\nexport const e = p;\n",
  'src/emit/ok.ts': "import { w } from '../verify/w.js';\nexport const ok = w;\n",
  // A folder with no place in the order.
  'src/scratch/p.ts': "import { d } from '../term/d.js';\nexport const q = d;\n",
  // The CLI's packages in the library.
  'src/emit/colour.ts': "import chalk from 'chalk';\nexport const red = chalk.red;\n",
};

const EXPECTED = [
  'layer-unknown src/scratch/p.ts → src/term/d.ts',
  'library-without-cli src/emit/colour.ts → node_modules/chalk/source/index.js',
  'no-file-cycle src/differentiate/x.ts ↔ src/differentiate/y.ts',
  'no-file-cycle src/rewrite/r.ts ↔ src/shape/s.ts',
  'no-folder-cycle src/rewrite ↔ src/shape',
  'no-folder-cycle src/syntax ↔ src/term',
  'order-emit src/emit/e.ts → src/pipeline.ts',
  'order-shape src/shape/s.ts → src/rewrite/r.ts',
  'order-term src/term/a.ts → src/syntax/b.ts',
  'verify-independent-of-engine src/verify/v.ts → src/differentiate/x.ts',
];

/** One line per violation; a loop is named by its two ends in order, whichever the tool starts from. */
function describeViolation(v: Violation): string {
  const to = v.to.replace(/^.*node_modules\//, 'node_modules/');
  if (v.rule.name.endsWith('-cycle')) return `${v.rule.name} ${[v.from, to].sort().join(' ↔ ')}`;
  return `${v.rule.name} ${v.from} → ${to}`;
}

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string; readonly severity: string };
}

/** The check's findings, as JSON (that reporter always exits 0). */
function violationsIn(cwd: string): Violation[] {
  const run = depcruise(cwd, 'json');
  if (run.stdout.trim() === '') throw new Error(`depcruise printed nothing: ${run.stderr}`);
  return JSON.parse(run.stdout).summary.violations as Violation[];
}

function depcruise(cwd: string, outputType: 'json' | 'err') {
  const bin = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  return spawnSync(process.execPath, [bin, 'src', '--config', config, '--output-type', outputType], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('deps');
let dir = '';
beforeAll(() => {
  dir = scratch();
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, 'tsconfig.json'), readFileSync(join(root, 'tsconfig.json')));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
});

describe('the import-order check', () => {
  test('reports every loop and every import against the order, and nothing else', () => {
    const violations = violationsIn(dir);
    const found = [...new Set(violations.map(describeViolation))].sort();
    expect(found).toEqual(EXPECTED);
    expect(violations.every((v) => v.rule.severity === 'error')).toBe(true);
  });

  test('fails the way npm run deps runs it: a non-zero exit', () => {
    const run = depcruise(dir, 'err');
    expect(run.stdout).toContain('no-folder-cycle');
    expect(run.status).not.toBe(0);
  });
});
