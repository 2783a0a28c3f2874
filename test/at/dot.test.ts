import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/emit/formats.js';
import { run } from '../../src/pipeline.js';
import type { Report } from '../../src/report.js';
import { matcalc } from '../json/helpers.js';

/**
 * `--format dot`: f's computational graph as Graphviz source, checked against the notes' (x + y)z
 * figure (forward values −2, 5, 3, −4, −12; gradients −4, −4, −4, 3 flowing back), and through
 * Graphviz's own `dot -Tsvg` where it is installed.
 */

function report(request: Parameters<typeof run>[0]): Report {
  const result = run(request);
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  return result.value;
}

const dot = (r: Report): string => FORMATS.dot!(r, { steps: false, standalone: false });

/** The node lines and edge lines, by label, independent of ids. */
function drawn(source: string): { nodes: string[]; edges: string[] } {
  const labels = new Map<string, string>();
  for (const m of source.matchAll(/^ {2}(n\d+) \[label="([^"]*)"/gm)) labels.set(m[1]!, m[2]!.split('\\n')[0]!);
  const edges = [...source.matchAll(/^ {2}(n\d+) -> (n\d+)(?: \[label="([^"]*)")?/gm)].map((m) => `${labels.get(m[1]!)} → ${labels.get(m[2]!)}${m[3] ? `: ${m[3]}` : ''}`);
  return { nodes: [...source.matchAll(/label="([^"]*)"/g)].map((m) => m[1]!), edges };
}

describe('--format dot', () => {
  it("the notes' (x + y)z at x = −2, y = 5, z = −4: values on the nodes, gradients on the edges", () => {
    const source = dot(report({ expression: 'q = x + y; q*z', wrt: 'x,y,z', at: 'x=-2, y=5, z=-4', check: false }));
    const { nodes, edges } = drawn(source);
    expect(nodes).toEqual([
      'x  scalar\\n= -2\\n∂f: -4',
      'y  scalar\\n= 5\\n∂f: -4',
      'q = +  scalar\\n= 3\\n∂f: -4',
      'z  scalar\\n= -4\\n∂f: 3',
      '×  scalar\\n= -12\\n∂f: 1',
      '-4',
      '-4',
      '-4',
      '3',
    ]);
    expect(edges).toEqual(['x  scalar → q = +  scalar: -4', 'y  scalar → q = +  scalar: -4', 'q = +  scalar → ×  scalar: -4', 'z  scalar → ×  scalar: 3']);
  });

  it('with --steps the edges carry the symbolic adjoints, with the user\'s names', () => {
    const { edges } = drawn(dot(report({ expression: 'q = x + y; q*z', wrt: 'x,y,z', steps: true, check: false })));
    expect(edges).toEqual(['x  scalar → q = +  scalar: z', 'y  scalar → q = +  scalar: z', 'q = +  scalar → ×  scalar: z', 'z  scalar → ×  scalar: q']);
  });

  it('without --steps or --at: the graph alone; every command draws f', () => {
    const { edges } = drawn(dot(report({ expression: 'q = x + y; q*z', wrt: 'x', check: false })));
    expect(edges.every((e) => !e.includes(':'))).toBe(true);
    const jac = dot(report({ command: 'jac', expression: 'σ(W*x)', wrt: 'x', dims: 'W=2x3', check: false }));
    expect(jac).toMatch(/label="σ {2}2×1"/);
  });

  it('the CLI prints it, exit 0', async () => {
    const r = await matcalc(['grad', '(x + y)*z', '--wrt', 'x,y,z', '--format', 'dot', '--steps']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('digraph "f" {\n')).toBe(true);
  });

  const graphviz = spawnSync('dot', ['-V'], { encoding: 'utf8' });
  const hasDot = graphviz.status === 0;
  if (!hasDot) console.log('Graphviz (dot) is not installed: skipping the dot -Tsvg test');
  it.skipIf(!hasDot)('Graphviz reads it: dot -Tsvg draws every node and edge label', () => {
    const source = dot(report({ expression: 'σ(w0*x0 + w1*x1 + w2)', wrt: 'w0,x0,w1,x1,w2', at: 'w0=2, x0=-1, w1=-3, x1=-2, w2=-3', check: false }));
    const svg = spawnSync('dot', ['-Tsvg'], { input: source, encoding: 'utf8' });
    expect(svg.status).toBe(0);
    expect(svg.stderr).toBe('');
    // The notes' sigmoid neuron: f = 0.73, the gradient of w0 is −0.2 (printed to six digits).
    const text = svg.stdout.replace(/&#45;/g, '-');
    expect(text).toContain('= 0.731059');
    expect(text).toContain('∂f: -0.196612');
    expect((svg.stdout.match(/class="node"/g) ?? []).length).toBe((source.match(/^ {2}n\d+ \[/gm) ?? []).length);
  });
});
