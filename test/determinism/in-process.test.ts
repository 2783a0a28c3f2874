import { describe, expect, it } from 'vitest';
import { formatLatex } from '../../src/emit/document.js';
import { commandJson } from '../../src/emit/command-json.js';
import { derivative, gradient, terms } from '../../src/pipeline.js';
import type { DerivativeCommand } from '../../src/report.js';
import { DERIVATIVE_DIRS, GOLDEN_DIRS, derivativeRequest, listExamples, type Example } from '../helpers/examples.js';

/**
 * Determinism inside one process (the library, without `batch`'s reset): terms are hash-consed and
 * numbered in creation order, so any canonical order that looked at those numbers would print a
 * request differently depending on what the process built before it. Every golden gradient and every
 * diff/jac/hess example is computed in one order, then again in a shuffled order with unrelated
 * expressions (over the same names, built in other orders) in between, and the outputs — text, JSON,
 * LaTeX and the derivation steps — must be byte-identical.
 */

const gradients = listExamples(GOLDEN_DIRS);
const derivatives = listExamples(DERIVATIVE_DIRS);

/** Inputs that build the examples' leaves and subterms in other orders than the examples do. */
const UNRELATED: readonly { expression: string; wrt: string; dims?: string; command?: DerivativeCommand }[] = [
  { expression: 'sum(C) + sum(B) + sum(A) + sum(X) + sum(W) + sum(M) + sum(S)', wrt: 'A', dims: 'A=3x3,B=3x3,C=3x3,X=3x3,W=3x3,M=3x3,S=3x3' },
  { expression: 'tr(C*X*B*A) + tr(X*A*C*B) + tr(B*A*X*C)', wrt: 'X', dims: 'A=3x3,B=3x3,C=3x3,X=3x3' },
  { expression: "z'*y + y'*x + x'*b + b'*a + a'*z", wrt: 'x' },
  { expression: 'sum(exp(X*b)) + sum(σ(W*X)) + tr(M*X)', wrt: 'X', dims: 'X=3x3,W=3x3,M=3x3,b=3' },
  { expression: 'norm2(y - A*x)^2 + logdet(S) + tr(inv(S)*C)', wrt: 'S', dims: 'A=4x3,S=3x3,C=3x3', command: 'diff' },
  { expression: "x'*S*x + tr(X'*X) + sum(log(x))", wrt: 'x', dims: 'S=3x3,X=3x3', command: 'hess' },
  { expression: 'tanh(W*x + b)', wrt: 'W', command: 'jac' },
  { expression: 'exp(a .* c) + exp(a .* b) + exp(a .* d)', wrt: 'a', dims: 'a=3,b=3,c=3,d=3', command: 'diff' },
  { expression: 'sum(exp(a .* c)) + sum(exp(a .* b)) + sum(d) + sum(c) + sum(b) + sum(a)', wrt: 'a', dims: 'a=3,b=3,c=3,d=3' },
  { expression: 'tr(D*C*B*A) + tr(D*B) + tr(C*A)', wrt: 'A', dims: 'A=3x3,B=3x3,C=3x3,D=3x3' },
];

/**
 * Inputs beyond the examples whose output once depended on term ids (ties in the canonical order
 * between terms with the same leading name and height), with the unrelated inputs above building
 * their leaves in the opposite order.
 */
const PROBES: readonly Example[] = [
  { name: 'probe/trace-rotation', path: '', expression: 'tr(B*C*A)*tr(X) + tr(C*X*B*A)', wrt: 'X', dims: 'A=3x3,B=3x3,C=3x3,X=3x3' },
  { name: 'probe/trace-words', path: '', expression: 'tr(B*D*A*C) + tr(A*C*B*D)*tr(A)', wrt: 'A', dims: 'A=3x3,B=3x3,C=3x3,D=3x3' },
  { name: 'probe/hadamard-ties', path: '', expression: 'sum(exp(a .* b)) + sum(exp(a .* c))', wrt: 'a', dims: 'a=3,b=3,c=3,d=3' },
  { name: 'probe/sum-ties', path: '', expression: "a'*exp(b) + a'*exp(c) + a'*exp(d)", wrt: 'a', dims: 'a=3,b=3,c=3,d=3' },
  { name: 'probe/diff-placeholders', path: '', expression: 'exp(a .* b) + exp(a .* c)', wrt: 'a', dims: 'a=3,b=3,c=3,d=3', command: 'diff' },
  { name: 'probe/inner-ties', path: '', expression: '<A*B, A*C> + <A*D, A*B>', wrt: 'A', dims: 'A=3x3,B=3x3,C=3x3,D=3x3' },
];

type Job = { kind: 'gradient'; example: Example } | { kind: 'derivative'; example: Example } | { kind: 'unrelated'; index: number };

function runJob(job: Job): string {
  if (job.kind === 'unrelated') {
    const u = UNRELATED[job.index]!;
    const result = u.command
      ? derivative({ command: u.command, expression: u.expression, wrt: u.wrt, dims: u.dims, steps: true, check: false })
      : gradient({ expression: u.expression, wrt: u.wrt, dims: u.dims, steps: true, check: false });
    if (!result.ok) throw new Error(`${u.expression}: ${result.diagnostics.map((d) => d.message).join('; ')}`);
    return '';
  }
  const e = job.example;
  if (job.kind === 'gradient') {
    const result = gradient({ expression: e.expression, wrt: e.wrt, dims: e.dims, assume: e.assume, steps: true, seed: 1 });
    if (!result.ok) throw new Error(`${e.name}: ${result.diagnostics.map((d) => d.message).join('; ')}`);
    const json = JSON.stringify(commandJson(result.value));
    const latex = formatLatex(result.value, { steps: true, standalone: false });
    return `${json}\n${latex}`;
  }
  const result = derivative(derivativeRequest(e));
  if (!result.ok) throw new Error(`${e.name}: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return JSON.stringify(commandJson(result.value));
}

const key = (job: Job) => (job.kind === 'unrelated' ? `unrelated:${job.index}` : `${job.kind}:${job.example.name}`);

/** A seeded Fisher–Yates shuffle (mulberry32), so a failure names an order that can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const random = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('determinism inside one process', () => {
  it('has examples of every kind', () => {
    expect(gradients.length).toBeGreaterThanOrEqual(20);
    expect(new Set(derivatives.map((e) => e.command))).toEqual(new Set(['diff', 'jac', 'hess']));
  });

  it('gives the same output whatever was computed before, and in whatever order', { timeout: 120_000 }, () => {
    const jobs: Job[] = [
      ...gradients.map((example): Job => ({ kind: 'gradient', example })),
      ...derivatives.map((example): Job => ({ kind: 'derivative', example })),
      ...PROBES.map((example): Job => ({ kind: example.command ? 'derivative' : 'gradient', example })),
    ];
    // Each pass starts from an empty term table (as a fresh process would), then runs its jobs
    // without resetting: a later job meets the terms the earlier ones built, under their ids.
    const runPass = (order: readonly Job[]): Map<string, string> => {
      terms.resetTerms();
      const out = new Map<string, string>();
      for (const job of order) {
        const text = runJob(job);
        if (job.kind !== 'unrelated') out.set(key(job), text);
      }
      return out;
    };
    const unrelated = UNRELATED.map((_, index): Job => ({ kind: 'unrelated', index }));
    const first = runPass(jobs);
    // Reversed, with every unrelated input first; then shuffled, with unrelated inputs in between.
    const reversed = runPass([...[...unrelated].reverse(), ...[...jobs].reverse()]);
    const mixed: Job[] = [];
    shuffled(jobs, 20261126).forEach((job, i) => {
      if (i % 5 === 0) mixed.push(unrelated[(i / 5) % unrelated.length]!);
      mixed.push(job);
    });
    const shuffledOut = runPass(mixed);
    // And each job alone, as `batch` runs it.
    const alone = new Map(jobs.map((job) => [key(job), runPass([job]).get(key(job))!] as const));
    const mismatches: string[] = [];
    for (const job of jobs) {
      const k = key(job);
      const expected = first.get(k);
      for (const [how, out] of [['reversed order after unrelated inputs', reversed], ['shuffled order, unrelated inputs in between', shuffledOut], ['alone', alone]] as const) {
        if (out.get(k) !== expected) mismatches.push(`${k} (${how}):\n  ${out.get(k)}\nwhile first:\n  ${expected}`);
      }
    }
    const names = mismatches.map((m) => m.slice(0, m.indexOf(':\n')));
    expect(mismatches.slice(0, 3).join('\n\n'), `${mismatches.length} mismatches: ${names.join(', ')}`).toBe('');
  });
});
