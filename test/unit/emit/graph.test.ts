import { describe, expect, it } from 'vitest';
import { reverseSweep } from '../../../src/differentiate/reverse-sweep.js';
import { graphToDot } from '../../../src/emit/graph/dot.js';
import { buildGraph } from '../../../src/emit/graph/model.js';
import { graphToSvg } from '../../../src/emit/graph/svg.js';
import { emitText } from '../../../src/emit/text.js';
import { rulebook } from '../../../src/pipeline.js';
import { simplify } from '../../../src/simplify/simplify.js';
import { add, fn, mul, reduce, transpose, variable } from '../../../src/term/factory.js';
import type { Term } from '../../../src/term/term.js';
import { evaluateTerms } from '../../../src/verify/evaluate.js';
import { Dense } from '../../../src/verify/dense.js';

const print = (t: Term): string => emitText([t]).main[0]!;
/** How the derivation prints a step: tidied, with the user's names. */
const tidy = (names: ReadonlyMap<Term, string>) => (t: Term): string => emitText(simplify([t]), { names }).main[0]!;

function rules() {
  const book = rulebook();
  if (!book.ok) throw new Error('rules did not load');
  return book.value;
}

const x = variable('x', [1, 1]);
const y = variable('y', [1, 1]);
const z = variable('z', [1, 1]);

describe('the computational graph', () => {
  it("draws the notes' (x + y)z with the gradients flowing back", () => {
    const q = add([x, y]);
    const f = mul([q, z]);
    const sweep = reverseSweep(f, ['x', 'y', 'z'], new Map([['x', x.shape], ['y', y.shape], ['z', z.shape]]), rules());
    const names = new Map([[q, 'q']]);
    const graph = buildGraph(f, { print: tidy(names), names, tape: sweep.tape });
    expect(graph.nodes.map((n) => n.name ?? n.op).sort()).toEqual(['q', 'x', 'y', 'z', '×'].sort());
    // q passes z back to both x and y; f passes z to q and q to z.
    const byOp = new Map(graph.nodes.map((n) => [n.id, n.name ?? n.op]));
    const edges = graph.edges.map((e) => `${byOp.get(e.from)}→${byOp.get(e.to)}: ${e.adjoint}`).sort();
    expect(edges).toEqual(['q→×: z', 'x→q: z', 'y→q: z', 'z→×: q'].sort());
    expect(graph.nodes.find((n) => n.op === 'x')!.gradient).toBe('z');
  });

  it('shows the values at a point, as the notes do (x = −2, y = 5, z = −4)', () => {
    const q = add([x, y]);
    const f = mul([q, z]);
    const sweep = reverseSweep(f, ['x', 'y', 'z'], new Map([['x', x.shape], ['y', y.shape], ['z', z.shape]]), rules());
    const terms = [f, ...sweep.tape.flatMap((e) => [e.adjoint, ...e.contributions.map((c) => c.coefficient)])];
    const values = new Map([['x', Dense.scalar(-2)], ['y', Dense.scalar(5)], ['z', Dense.scalar(-4)]]);
    const memo = new Map<Term, Dense>();
    evaluateTerms(terms, { values, dimSizes: new Map() }, { memoOut: memo });
    const valueAt = (t: Term): string | undefined => (memo.has(t) ? String(memo.get(t)!.get(0, 0)) : undefined);
    const graph = buildGraph(f, { print, tape: sweep.tape, valueAt });
    const node = (op: string) => graph.nodes.find((n) => n.op === op)!;
    expect(node('×').value).toBe('-12');
    expect(node('+').value).toBe('3');
    expect([node('x').gradient, node('y').gradient, node('z').gradient]).toEqual(['-4', '-4', '3']);
  });

  it('draws an operand used twice as two edges', () => {
    const v = variable('v', ['n', 1]);
    const f = reduce('sum', fn('exp', mul([transpose(v), v])));
    const graph = buildGraph(f, { print });
    const vId = graph.nodes.find((n) => n.op === 'v')!.id;
    expect(graph.edges.filter((e) => e.from === vId)).toHaveLength(2); // v feeds ᵀ and ×: vᵀv
    expect(graph.edges.some((e) => graph.nodes.find((n) => n.id === e.from)!.op === 'ᵀ')).toBe(true);
  });

  it('collapses a large graph and says so, keeping names and inputs', () => {
    const W = Array.from({ length: 30 }, (_, i) => variable(`W${i + 1}`, ['n', 'n']));
    const names = new Map<Term, string>();
    let h: Term = variable('x', ['n', 1]);
    W.forEach((w, i) => {
      h = fn('tanh', add([mul([w, h]), variable(`b${i + 1}`, ['n', 1])]));
      names.set(h, `H${i + 1}`);
    });
    const f = reduce('sum', h);
    const graph = buildGraph(f, { print, names, maxNodes: 70 });
    expect(graph.collapsedNote).toMatch(/collapsed/);
    expect(graph.nodes.filter((n) => n.name !== undefined)).toHaveLength(30);
    expect(graph.nodes.filter((n) => n.role === 'input')).toHaveLength(61);
    // Every edge joins two drawn nodes.
    const ids = new Set(graph.nodes.map((n) => n.id));
    expect(graph.edges.every((e) => ids.has(e.from) && ids.has(e.to))).toBe(true);
  });
});

describe('graph printers', () => {
  const q = add([x, y]);
  const f = mul([q, z]);
  const graph = buildGraph(f, { print, names: new Map([[q, 'q"\\']]) });

  it('writes Graphviz source with every node and edge, quotes escaped', () => {
    const dot = graphToDot(graph);
    expect(dot).toMatch(/^digraph "f" \{/);
    expect(dot).toContain('rankdir=BT');
    expect(dot).toContain('label="q\\"\\\\ = +  scalar"');
    expect(dot.match(/->/g)).toHaveLength(graph.edges.length);
  });

  it('writes an SVG with every node and edge laid out, text escaped', () => {
    const svg = graphToSvg(graph);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<g class="node /g)).toHaveLength(graph.nodes.length);
    expect(svg.match(/<g class="edge"/g)).toHaveLength(graph.edges.length);
    expect(svg).toContain('q&quot;\\');
    expect(svg).not.toMatch(/NaN/);
  });
});
