import { beforeAll, describe, expect, it } from 'vitest';
import { functionText } from '../../src/emit/command-json.js';
import { gradient } from '../../src/pipeline.js';
import type { Report } from '../../src/report.js';
import { drawInDomain, pythonInputs } from '../helpers/draws.js';
import { python3 } from '../helpers/python.js';

/**
 * The notation corpus: what people type, in every dialect, and what they mean by it. Each case is
 * either read as meant — the function matcalc read evaluates, at random inputs, to the same values
 * as the intended f written in NumPy, and its gradient passes the check — or refused with a
 * diagnostic whose message says what to write instead. Zero cases may be read as something else.
 *
 * `numpy` is the intended f in the names matcalc uses for the variables in Python (canonical
 * names: `W₁` is `W1`): vectors are (n, 1) columns, scalars floats, `np` is NumPy (`scipy.special`
 * is there too: matcalc writes erf as scipy.special.erf).
 */
export interface ReadCase {
  readonly input: string;
  readonly wrt: string;
  readonly dims?: string;
  readonly assume?: string;
  /** The intended f as a NumPy expression. */
  readonly numpy: string;
}

export interface RefuseCase {
  readonly input: string;
  readonly wrt: string;
  readonly dims?: string;
  readonly assume?: string;
  /** Text the error message must contain (what to write instead, or both readings). */
  readonly refuse: string | RegExp;
}

export type NotationCase = ReadCase | RefuseCase;

function isRefusal(c: NotationCase): c is RefuseCase {
  return 'refuse' in c;
}

interface Comparison {
  readonly label: string;
  readonly intended: string;
  readonly read: string;
  readonly inputs: Record<string, number[][] | number>;
}

/** Evaluates both NumPy expressions of every comparison in one python3 process. */
function compareInPython(comparisons: readonly Comparison[]): ({ ok: true } | { ok: false; why: string })[] {
  const script = `
import json, sys
import numpy as np
import scipy.special
import scipy.linalg
cases = json.load(sys.stdin)
out = []
for c in cases:
    env = {"np": np, "scipy": scipy}
    for k, v in c["inputs"].items():
        env[k] = float(v) if isinstance(v, (int, float)) else np.array(v, dtype=float)
    try:
        want = np.atleast_2d(np.asarray(eval(c["intended"], dict(env)), dtype=float))
    except Exception as e:
        out.append({"ok": False, "why": f"the intended f does not evaluate with the names matcalc read: {type(e).__name__}: {e}"})
        continue
    try:
        got = np.atleast_2d(np.asarray(eval(c["read"], dict(env)), dtype=float))
    except Exception as e:
        out.append({"ok": False, "why": f"function.numpy fails: {type(e).__name__}: {e}"})
        continue
    if want.shape != got.shape:
        out.append({"ok": False, "why": f"shape {got.shape}, intended {want.shape}"})
    elif not np.allclose(got, want, rtol=1e-8, atol=1e-10 * max(1.0, float(np.max(np.abs(want))))):
        out.append({"ok": False, "why": f"value {got.ravel()[:4].tolist()}, intended {want.ravel()[:4].tolist()}"})
    else:
        out.append({"ok": True})
print(json.dumps(out))
`;
  const run = python3(['-c', script], { input: JSON.stringify(comparisons), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as ({ ok: true } | { ok: false; why: string })[];
}

function inputsOf(report: Report, seed: number): Record<string, number[][] | number> {
  return pythonInputs(report, drawInDomain(report, seed, [report.f]).values);
}

/**
 * Registers one test per case of a dialect's table. The read cases are compared in one python3
 * run (beforeAll), at two random draws each.
 */
export function notationTable(dialect: string, cases: readonly NotationCase[]): void {
  describe(`notation: ${dialect}`, () => {
    const verdicts = new Map<number, string | undefined>();
    beforeAll(() => {
      const comparisons: Comparison[] = [];
      const owners: number[] = [];
      cases.forEach((c, i) => {
        if (isRefusal(c)) return;
        const result = gradient({ expression: c.input, wrt: c.wrt, dims: c.dims, assume: c.assume, check: false });
        if (!result.ok) {
          verdicts.set(i, `refused: ${result.diagnostics[0]!.message}`);
          return;
        }
        const read = functionText(result.value).numpy;
        for (const seed of [1, 2]) {
          comparisons.push({ label: c.input, intended: c.numpy, read, inputs: inputsOf(result.value, seed) });
          owners.push(i);
        }
      });
      compareInPython(comparisons).forEach((r, k) => {
        const i = owners[k]!;
        if (!r.ok && !verdicts.has(i)) verdicts.set(i, `${r.why} (read as ${comparisons[k]!.read})`);
        else if (!verdicts.has(i)) verdicts.set(i, undefined);
      });
    });

    cases.forEach((c, i) => {
      if (isRefusal(c)) {
        it(`refuses ${JSON.stringify(c.input)}`, () => {
          const result = gradient({ expression: c.input, wrt: c.wrt, dims: c.dims, assume: c.assume, check: false });
          expect(result.ok, `${c.input} was read, not refused`).toBe(false);
          if (result.ok) return;
          const message = result.diagnostics.map((d) => [d.message, ...d.notes.map((n) => n.message)].join('\n')).join('\n');
          if (typeof c.refuse === 'string') expect(message).toContain(c.refuse);
          else expect(message).toMatch(c.refuse);
        });
      } else {
        it(`reads ${JSON.stringify(c.input)} as ${c.numpy}`, () => {
          expect(verdicts.get(i)).toBeUndefined();
          const checked = gradient({ expression: c.input, wrt: c.wrt, dims: c.dims, assume: c.assume });
          expect(checked.ok && checked.value.check?.status, `${c.input}: the gradient check`).toBe('passed');
        });
      }
    });
  });
}
