import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * An example file (examples/**\/*.mc): `# key: value` header lines give the options (wrt, dims,
 * assume); other `#` lines are prose; the rest is the expression, as a user would type it.
 */
export interface Example {
  readonly name: string;
  readonly path: string;
  readonly expression: string;
  readonly wrt: string;
  readonly dims?: string;
  readonly assume?: string;
  /** examples/derivatives: the command (diff, jac, hess) and the Jacobian layout. */
  readonly command?: string;
  readonly layout?: string;
}

export const EXAMPLES_DIR = join(import.meta.dirname, '..', '..', 'examples');

export function readExample(path: string): Example {
  const text = readFileSync(path, 'utf8');
  const options: Record<string, string> = {};
  const body: string[] = [];
  for (const line of text.split('\n')) {
    const header = /^#\s*(wrt|dims|assume|command|layout):\s*(.*)$/.exec(line);
    if (header) options[header[1]!] = header[2]!.trim();
    else if (!line.startsWith('#')) body.push(line);
  }
  return {
    name: relative(EXAMPLES_DIR, path).replace(/\.mc$/, ''),
    path,
    expression: body.join('\n').trim(),
    wrt: options.wrt ?? 'x',
    dims: options.dims,
    assume: options.assume,
    command: options.command,
    layout: options.layout,
  };
}

export function listExamples(subdirectories: readonly string[]): Example[] {
  const out: Example[] = [];
  for (const sub of subdirectories) {
    const dir = join(EXAMPLES_DIR, sub);
    for (const file of readdirSync(dir).sort()) {
      const path = join(dir, file);
      if (file.endsWith('.mc') && statSync(path).isFile()) out.push(readExample(path));
    }
  }
  return out;
}

export const GOLDEN_DIRS = ['notes', 'matrixcalculus', 'cookbook', 'ml', 'matrix-functions'];
/** Differentials, Jacobians and Hessians (a `# command:` header each). */
export const DERIVATIVE_DIRS = ['derivatives'];

/** The request an examples/derivatives file stands for (its `# command:` and `# layout:` headers). */
export function derivativeRequest(e: Example): {
  command: 'diff' | 'jac' | 'hess';
  expression: string;
  wrt: string;
  dims?: string;
  assume?: string;
  layout: 'numerator' | 'denominator';
  steps: true;
  seed: number;
} {
  if (e.command !== 'diff' && e.command !== 'jac' && e.command !== 'hess') throw new Error(`${e.name}: no '# command: diff|jac|hess' header`);
  return {
    command: e.command,
    expression: e.expression,
    wrt: e.wrt,
    ...(e.dims !== undefined ? { dims: e.dims } : {}),
    ...(e.assume !== undefined ? { assume: e.assume } : {}),
    layout: e.layout === 'denominator' ? 'denominator' : 'numerator',
    steps: true,
    seed: 1,
  };
}
