import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { FORMATS } from '../../src/emit/formats.js';
import { run } from '../../src/pipeline.js';
import type { CommandRequest } from '../../src/report.js';
import { createRng, type Rng } from '../../src/verify/random.js';
import { DIMS, ROLES, valuesOf, WRT, type Command, type Role } from '../helpers/name-roles.js';
import { runPythonModules, type ModuleRun } from '../helpers/python-batch.js';
import { hasPython } from '../helpers/python-probe.js';
import { python3 } from '../helpers/python.js';
import { scratchFolders } from '../helpers/scratch.js';

/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('random-names');

/**
 * Random user names against every name an emitted module writes (issue 13, "every generated name is
 * checked against the user's names"). Names are drawn, seeded, from: the names the numpy, torch and
 * jax modules themselves bind or read (found by parsing them, abstract functions' callables
 * included), Python keywords and builtins, module aliases, abstract-function spellings (f, grad_f,
 * g_prime), underscored names (x_, result_, x__y, _t1) and JavaScript's own object keys
 * (__proto__, constructor). Each draw names the inputs and, for the templates that have them, the
 * abstract functions (--function, --elementwise), under grad, diff, jac or hess.
 *
 * A module must pass its own self-check, and every function in it must return the same numbers as
 * the module matcalc writes for the same request with plain names (a, B, c, s, P, Q): that module
 * is the reference (test/helpers/compare_modules.py). A name matcalc refuses must be refused with
 * a diagnostic, never an exception. MATCALC_NAME_CASES=n draws n cases instead of the default.
 */

const SEED = 20261207;
const CASES = Number(process.env['MATCALC_NAME_CASES'] ?? 36);
const OPTIONS = { steps: false, standalone: false };
const COMPARER = path.join(import.meta.dirname, '..', 'helpers', 'compare_modules.py');
const PYTHON_FORMATS = ['numpy', 'torch', 'jax'] as const;

const KEYWORDS = 'False None True and as assert def del elif else except for from global if import in is lambda not or pass return while with yield'.split(' ');
const BUILTINS = 'sum len abs max min print id float int range list dict tuple zip map round pow all any type object str bool iter next'.split(' ');
const MODULES = ['np', 'numpy', 'torch', 'jax', 'jnp', 'scipy', 'math', 'sys', 'F', 'nn', 'lax', 'special', 'inspect'];
const FUNCTIONS = ['f', 'g', 'h', 'grad_f', 'grad_g', 'f_prime', 'g_prime', 'h_prime', 'grad_h', 'hess_f', 'P', 'Q', 'grad_P', 'Q_prime', 'phi', 'psi'];
const UNDERSCORED = ['x_', 'result_', 'x__y', '_t1', '_t2', 't1', 't2', 't_1', 'a_b', 'grad_x_', 'value_', 'f_', 'x_in', 'out_', '_x', 'da', 'dB', 'V_a', 'G'];
const OBJECT_KEYS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype'];


/** {f} is a scalar function (--function), {g} an element-wise one (--elementwise). */
const SCALAR = [
  "{a}'*{B}*{c} + {s}*sum(exp({c}))",
  "log(det({B})) + {s}^2*sum(sigmoid({B}*{a})) + {c}'*{c}",
  "{a}'*{B}*{c} + {s}*{f}({B}*{a}) + sum({g}({c}))",
  "{f}({B}*{a} - {c}) + {s}*{a}'*{a}",
  "sum({g}({B}'*{c})) * {s} + {a}'*{c}",
];
const VECTOR = ['{s}*{B}*{a} + exp({c})', '{s}*{g}({B}*{a}) + {c}*{f}({a})', '{g}({B}*{a}) .* {c} + {s}^2*{a}'];
/** The Hessian of a declared function needs ∇²f, which has no symbol (MC3005): hess draws from these. */
const PLAIN_SCALAR = SCALAR.filter((t) => !t.includes('{f}') && !t.includes('{g}'));

interface Case {
  readonly command: Command;
  readonly template: string;
  readonly names: Record<Role, string>;
  readonly f: string;
  readonly g: string;
}
const PLAIN = { names: { a: 'a', B: 'B', c: 'c', s: 's' }, f: 'P', g: 'Q' };

function requestOf(c: Pick<Case, 'command' | 'template' | 'names' | 'f' | 'g'>): CommandRequest {
  const expression = c.template.replace(/\{(\w)\}/g, (_, r: string) => (r === 'f' ? c.f : r === 'g' ? c.g : c.names[r as Role]));
  return {
    command: c.command,
    expression,
    wrt: WRT[c.command].map((r) => c.names[r]),
    dims: ROLES.map((r) => `${c.names[r]}=${DIMS[r]}`).join(','),
    ...(c.template.includes('{f}') ? { functions: c.f } : {}),
    ...(c.template.includes('{g}') ? { elementwise: c.g } : {}),
    check: false,
    pullback: true,
  } as CommandRequest;
}

/** What run() says about a request: ok, refused with a diagnostic, or an exception (a bug). */
function probe(request: Parameters<typeof run>[0]): 'ok' | 'refused' | string {
  try {
    const result = run(request);
    return result.ok ? 'ok' : result.diagnostics.length > 0 ? 'refused' : 'refused without a diagnostic';
  } catch (error) {
    return `threw ${String(error)}`;
  }
}

/** The variable matcalc makes of `name`, or undefined when it refuses the name as a variable. */
function variableOf(name: string, crashes: string[]): string | undefined {
  const request = { expression: `${name}'*Qz`, wrt: [name], dims: `${name}=3,Qz=3`, check: false, sample: false };
  const said = probe(request);
  if (said !== 'ok' && said !== 'refused') crashes.push(`${name} as a variable: ${said}`);
  const result = said === 'ok' ? run(request) : undefined;
  if (result === undefined || !result.ok || result.value.variables.size !== 2) return undefined;
  return [...result.value.variables.keys()].find((v) => v !== 'Qz');
}

function acceptsFunction(name: string, elementwise: boolean, crashes: string[]): boolean {
  const said = probe({ expression: elementwise ? `sum(${name}(x))` : `${name}(x)`, wrt: 'x', [elementwise ? 'elementwise' : 'functions']: name, check: false, sample: false } as never);
  if (said !== 'ok' && said !== 'refused') crashes.push(`${name} as a function: ${said}`);
  return said === 'ok';
}

/** Every name the Python modules write for plain names, from the modules themselves. */
function moduleNames(): string[] {
  const texts: string[] = [];
  for (const command of ['grad', 'diff', 'jac', 'hess'] as const) {
    const templates = command === 'jac' ? VECTOR : command === 'hess' ? PLAIN_SCALAR : SCALAR;
    for (const template of templates) {
      const result = run(requestOf({ command, template, ...PLAIN }));
      if (!result.ok) throw new Error(`${command} ${template}: ${result.diagnostics[0]!.message}`);
      for (const format of PYTHON_FORMATS) texts.push(FORMATS[format]!(result.value, OPTIONS));
    }
  }
  const script = String.raw`
import ast, json, sys
names = set()
for text in json.loads(sys.stdin.read()):
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Name): names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)): names.add(node.name)
        elif isinstance(node, ast.arg): names.add(node.arg)
        elif isinstance(node, ast.Attribute): names.add(node.attr)
        elif isinstance(node, ast.alias): names.add((node.asname or node.name).split(".")[0])
print(json.dumps(sorted(names)))
`;
  const parsed = python3(['-c', script], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (parsed.status !== 0) throw new Error(parsed.stderr);
  return JSON.parse(parsed.stdout) as string[];
}

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng.next() * list.length)]!;
}

function makeCases(variables: ReadonlyMap<string, string>, functions: readonly string[], elementwise: readonly string[]): Case[] {
  const rng = createRng(SEED);
  const names = [...variables.keys()];
  const cases: Case[] = [];
  while (cases.length < CASES) {
    const command = pick(rng, ['grad', 'diff', 'jac', 'hess'] as const);
    const template = pick(rng, command === 'jac' ? VECTOR : command === 'hess' ? PLAIN_SCALAR : SCALAR);
    const drawn: string[] = [];
    while (drawn.length < 4) {
      const name = pick(rng, names);
      if (!drawn.some((d) => variables.get(d) === variables.get(name))) drawn.push(name);
    }
    // A function may not share a name with a variable (the request refuses it), nor f with g.
    const taken = new Set(drawn.map((d) => variables.get(d)!));
    const free = (list: readonly string[]) => list.filter((n) => !taken.has(n));
    const f = pick(rng, free(functions));
    const g = pick(rng, free(elementwise).filter((n) => n !== f));
    cases.push({ command, template, names: { a: drawn[0]!, B: drawn[1]!, c: drawn[2]!, s: drawn[3]! }, f, g });
  }
  return cases;
}


interface Planned {
  readonly label: string;
  readonly module: string;
  readonly comparer: string;
}

describe('random user names through grad, diff, jac and hess, run in python3 (numpy, torch, jax)', () => {
  const crashes: string[] = [];
  const refusedRuns: string[] = [];
  let variables = new Map<string, string>();
  let functions: string[] = [];
  let cases: Case[] = [];
  let planned: Planned[] = [];
  let runs: ModuleRun[] = [];
  const skipped: string[] = [];

  beforeAll(() => {
    const pool = [...new Set([...moduleNames(), ...KEYWORDS, ...BUILTINS, ...MODULES, ...FUNCTIONS, ...UNDERSCORED, ...OBJECT_KEYS])];
    for (const name of pool) {
      const variable = variableOf(name, crashes);
      if (variable !== undefined) variables.set(name, variable);
    }
    functions = pool.filter((n) => acceptsFunction(n, false, crashes));
    const elementwise = pool.filter((n) => acceptsFunction(n, true, crashes));
    cases = makeCases(variables, functions, elementwise);
    // Probed once per run for every file that asks (an import of torch is seconds of CPU).
    for (const format of PYTHON_FORMATS) if (!hasPython(format)) skipped.push(format);
    for (const format of skipped) console.warn(`[matcalc] python3 cannot import ${format}: the random-name runs of --format ${format} are SKIPPED.`);
    const dir = scratch();
    cases.forEach((c, i) => {
      const result = run(requestOf(c));
      const reference = run(requestOf({ ...c, ...PLAIN }));
      if (!reference.ok) throw new Error(`the plain request failed: ${reference.diagnostics[0]!.message}`);
      const label = `${c.command} ${requestOf(c).expression} (${JSON.stringify({ ...c.names, f: c.f, g: c.g })})`;
      if (!result.ok) {
        // A variable named like a function's derivative parameter (grad_f beside f) is refused by
        // request.ts with a rename; any other refusal of distinct names is a failure.
        if (!/the name the generated code gives the derivative/.test(result.diagnostics[0]!.message)) refusedRuns.push(`${label}: ${result.diagnostics[0]!.message}`);
        return;
      }
      for (const format of PYTHON_FORMATS) {
        if (skipped.includes(format)) continue;
        const module = path.join(dir, `case${i}_${format}.py`);
        const plain = path.join(dir, `plain${i}_${format}.py`);
        writeFileSync(module, FORMATS[format]!(result.value, OPTIONS));
        writeFileSync(plain, FORMATS[format]!(reference.value, OPTIONS));
        const comparer = path.join(dir, `compare${i}_${format}.py`);
        const spec = { module, plain, values: valuesOf(SEED + i) };
        writeFileSync(comparer, `SPEC = ${JSON.stringify(spec)}\nexec(compile(open(${JSON.stringify(COMPARER)}, encoding="utf-8").read(), ${JSON.stringify(COMPARER)}, "exec"))\n`);
        planned.push({ label: `${format} ${label}`, module, comparer });
      }
    });
    runs = runPythonModules(planned.flatMap((p) => [p.module, p.comparer]));
  }, 900_000);

  test('the pool holds names of every kind, and every name is either read or refused with a diagnostic', () => {
    expect(crashes).toEqual([]);
    for (const name of ['lambda', 'np', 'jnp', 'torch', 'value', 'grad_f', 'g_prime', 'constructor']) expect(variables.has(name) || functions.includes(name), name).toBe(true);
    // The drawn cases use abstract functions named like the modules' own helpers.
    expect(cases.some((c) => c.template.includes('{f}') && !/^[fgh]$/.test(c.f))).toBe(true);
  });

  test('every request with distinct names runs', () => {
    expect(refusedRuns).toEqual([]);
  });

  test('every module passes its self-check and returns the numbers of the plain-names module', () => {
    const failures: string[] = [];
    planned.forEach((p, i) => {
      const self = runs[2 * i]!;
      const compare = runs[2 * i + 1]!;
      if (self.status !== 0) failures.push(`${p.label}: self-check exited ${self.status}\n${self.output.slice(-500)}`);
      const line = compare.output.trim().split('\n').pop() ?? '';
      let verdict: { compared: number; failures: string[] } | undefined;
      try {
        verdict = JSON.parse(line) as { compared: number; failures: string[] };
      } catch {
        failures.push(`${p.label}: the comparison did not finish\n${compare.output.slice(-600)}`);
        return;
      }
      if (compare.status !== 0 || verdict.failures.length > 0) failures.push(`${p.label}: ${verdict.failures.join('; ')}`);
      else if (verdict.compared === 0) failures.push(`${p.label}: nothing was compared`);
    });
    if (failures.length > 0) console.warn(`[matcalc] ${failures.length} of ${planned.length} modules failed`);
    expect(failures).toEqual([]);
    expect(planned.length).toBeGreaterThanOrEqual((PYTHON_FORMATS.length - skipped.length) * cases.length * 0.8);
  });
});
