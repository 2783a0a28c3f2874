import { writeFileSync } from 'node:fs';
import path from 'node:path';
import katex from 'katex';
import { beforeAll, describe, expect, test } from 'vitest';
import { FORMATS } from '../../src/emit/formats.js';
import { reportIdentifiers } from '../../src/emit/report.js';
import { run } from '../../src/pipeline.js';
import type { CommandRequest, Report } from '../../src/report.js';
import { createRng } from '../../src/verify/random.js';
import { DIMS, ROLES, valuesOf, WRT, type Command, type Role } from '../helpers/name-roles.js';
import { runPythonModules, type ModuleRun } from '../helpers/python-batch.js';
import { hasPython } from '../helpers/python-probe.js';
import { python3 } from '../helpers/python.js';
import { scratchFolders } from '../helpers/scratch.js';

/**
 * Input names that try to collide with everything a generated module uses (issue 14 §1): Python
 * keywords and builtins, the modules (np, torch, jax, …), every name an emitted module binds or
 * reads (found by parsing the modules of every Python format, so a new local is covered without
 * editing this file), Greek and subscripted names, and names that fold to one Python identifier
 * (ſ and s, ĳ and ij). Seeded: the same cases every run.
 *
 * Every Python format in the FORMATS table (a format is Python when its output parses as a Python
 * module that defines a function) is run for grad, diff, jac and hess: the module's own self-check
 * must pass, and test/helpers/check_module.py compares its functions with a NumPy truth written
 * here (the function by hand, its derivatives by central differences). JSON, LaTeX and HTML must
 * carry the names intact and escaped.
 */

const SEED = 20261206;
const OPTIONS = { steps: false, standalone: false };
const CHECKER = path.join(import.meta.dirname, '..', 'helpers', 'check_module.py');

const KEYWORDS = 'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' ');
const BUILTINS = 'sum len abs max min print id float int range list dict tuple zip map round pow all any iter next type object str bool set open format hash divmod sorted filter vars locals globals input exec eval'.split(' ');
const SPECIAL = ['np', 'torch', 'jax', 'jnp', 'scipy', 'math', 'sys', 'value', 'grad_x', 'grads', 'F', 'V', 'dx', 'dX', 'H', 'J'];
const LETTERS = ['θ', 'ϑ', 'x₁', 'x_1', 'Ŷ', 'ŷ', 'α', 'λ', 'W₁', 'Σ', 'x_in'];
/** Distinct matcalc names that NFKC folds to one Python identifier. */
const FOLDING: readonly (readonly [string, string])[] = [
  ['ſ', 's'],
  ['ĳ', 'ij'],
  ['ǳ', 'dz'],
  ['ǉ', 'lj'],
];

/** The roles of a template: vectors a, c (3×1), a square matrix B, a scalar s. */

interface Template {
  readonly expression: string;
  /** The same function in NumPy, over (a, B, c, s): the truth. */
  readonly truth: string;
}

const SCALAR: readonly Template[] = [
  { expression: "{a}'*{B}*{c} + {s}*sum(exp({c}))", truth: 'lambda a, B, c, s: (a.T @ B @ c).item() + s * np.sum(np.exp(c))' },
  { expression: "log(det({B})) + {s}^2*sum(sigmoid({B}*{a})) + {c}'*{c}", truth: 'lambda a, B, c, s: np.log(np.linalg.det(B)) + s**2 * np.sum(1 / (1 + np.exp(-(B @ a)))) + (c.T @ c).item()' },
  { expression: "{a}'*inv({B})*{c} + tr({B})*{s}^3", truth: 'lambda a, B, c, s: (a.T @ np.linalg.inv(B) @ c).item() + np.trace(B) * s**3' },
  { expression: "sum(softplus({B}*{a} - {c})) + {s}*{a}'*{a}", truth: 'lambda a, B, c, s: np.sum(np.logaddexp(0, B @ a - c)) + s * (a.T @ a).item()' },
];
const VECTOR: readonly Template[] = [
  { expression: '{s}*{B}*{a} + exp({c})', truth: 'lambda a, B, c, s: s * (B @ a) + np.exp(c)' },
  { expression: 'sigmoid({B}*{a}) .* {c} + {s}^2*{a}', truth: 'lambda a, B, c, s: 1 / (1 + np.exp(-(B @ a))) * c + s**2 * a' },
];


interface Case {
  readonly names: Record<Role, string>;
  readonly command: Command;
  readonly template: Template;
}

function requestOf(c: Case): CommandRequest {
  const expression = c.template.expression.replace(/\{(\w)\}/g, (_, r: Role) => c.names[r]);
  return {
    command: c.command,
    expression,
    wrt: WRT[c.command].map((r) => c.names[r]),
    dims: ROLES.map((r) => `${c.names[r]}=${DIMS[r]}`).join(','),
    check: false,
    // Every format's module: the backward of torch-autograd/jax for diff and jac needs F's pullback.
    pullback: true,
  } as CommandRequest;
}

function reportOf(c: Case): Report {
  const result = run(requestOf(c));
  if (!result.ok) throw new Error(`${JSON.stringify(c.names)} ${c.command}: ${result.diagnostics[0]!.message}`);
  return result.value;
}

/**
 * The variable matcalc makes of `name` (its canonical spelling: x_1 and x₁ are x1), or undefined
 * when it refuses the name (a word it reserves, such as sum or exp).
 */
function canonicalOf(name: string): string | undefined {
  const result = run({ expression: `${name}'*Qz`, wrt: [name], dims: `${name}=3,Qz=3`, check: false, sample: false });
  if (!result.ok || result.value.variables.size !== 2) return undefined;
  return [...result.value.variables.keys()].find((v) => v !== 'Qz');
}

/** Parses Python texts in one python3: whether each is a module defining a function, and every name it binds or reads. */
function pythonNames(texts: readonly string[]): { python: boolean; names: string[] }[] {
  const script = String.raw`
import ast, json, sys
out = []
for text in json.loads(sys.stdin.read()):
    try:
        tree = ast.parse(text)
    except SyntaxError:
        out.append({"python": False, "names": []})
        continue
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name): names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)): names.add(node.name)
        elif isinstance(node, ast.arg): names.add(node.arg)
        elif isinstance(node, ast.alias): names.add((node.asname or node.name).split(".")[0])
    out.append({"python": any(isinstance(n, ast.FunctionDef) for n in tree.body), "names": sorted(names)})
print(json.dumps(out))
`;
  const result = python3(['-c', script], { input: JSON.stringify(texts), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as { python: boolean; names: string[] }[];
}

const COMMANDS: readonly Command[] = ['grad', 'diff', 'jac', 'hess'];
const PLAIN: Record<Role, string> = { a: 'a', B: 'B', c: 'c', s: 's' };

/** The Python formats and every name their modules use, from one module per command with plain names. */
function discover(): { formats: string[]; moduleNames: string[] } {
  const outputs: { format: string; text: string }[] = [];
  for (const command of COMMANDS) {
    const report = reportOf({ names: PLAIN, command, template: command === 'jac' ? VECTOR[0]! : SCALAR[0]! });
    for (const [format, emit] of Object.entries(FORMATS)) outputs.push({ format, text: emit(report, OPTIONS) });
  }
  const parsed = pythonNames(outputs.map((o) => o.text));
  const formats = new Set<string>();
  const names = new Set<string>();
  parsed.forEach((p, i) => {
    if (!p.python) return;
    formats.add(outputs[i]!.format);
    for (const n of p.names) names.add(n);
  });
  return { formats: [...formats], moduleNames: [...names].sort() };
}

/** The cases: the pool shuffled (seeded) and cut into groups of four names, each group run under two commands; the folding pairs in groups of their own. */
function makeCases(pool: readonly string[]): Case[] {
  const rng = createRng(SEED);
  const shuffled = [...pool];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const groups: string[][] = [];
  for (let i = 0; i < shuffled.length; i += 4) groups.push(shuffled.slice(i, i + 4));
  while (groups[groups.length - 1]!.length < 4) groups[groups.length - 1]!.push(['u', 'w', 'z'][groups[groups.length - 1]!.length - 1]!);
  FOLDING.forEach(([p, q], i) => groups.push(i % 2 === 0 ? [p, 'y', q, 'k'] : [q, p, 'y', 'k']));
  const cases: Case[] = [];
  groups.forEach((g, i) => {
    const names = { a: g[0]!, B: g[1]!, c: g[2]!, s: g[3]! };
    for (const command of ['grad', COMMANDS[1 + (i % 3)]!] as const) {
      const templates = command === 'jac' ? VECTOR : SCALAR;
      cases.push({ names, command, template: templates[Math.floor(rng.next() * templates.length)]! });
    }
  });
  return cases;
}


interface Planned {
  readonly label: string;
  readonly format: string;
  readonly module: string;
  readonly checker: string;
}

describe('names that collide with everything a module uses, over every Python format', () => {
  let formats: string[] = [];
  let pool: string[] = [];
  let cases: Case[] = [];
  let planned: Planned[] = [];
  let runs: ModuleRun[] = [];
  /** The modules and their checkers, removed when the file is done (test/helpers/scratch.ts). */
  const scratch = scratchFolders('names');
  const missing = new Map<string, string>();

  beforeAll(() => {
    const found = discover();
    formats = found.formats;
    const candidates = [...new Set([...KEYWORDS, ...BUILTINS, ...SPECIAL, ...LETTERS, ...found.moduleNames])];
    // One spelling per variable (x₁ and x_1 are one name to matcalc).
    const variables = new Set<string>();
    pool = candidates.filter((n) => {
      const v = canonicalOf(n);
      if (v === undefined || variables.has(v)) return false;
      variables.add(v);
      return true;
    });
    cases = makeCases(pool);
    // A format whose library python3 cannot import is skipped, and says so.
    for (const format of formats) {
      const report = reportOf(cases[0]!);
      const imports = [...FORMATS[format]!(report, OPTIONS).matchAll(/^import (\w+)/gm)].map((m) => m[1]!);
      // Probed once per run for every file that asks (an import of torch is seconds of CPU).
      if (!hasPython(...imports)) missing.set(format, imports.join(', '));
    }
    for (const [format, library] of missing) console.warn(`[matcalc] python3 cannot import ${library}: the colliding-name runs of --format ${format} are SKIPPED.`);
    const dir = scratch();
    planned = [];
    cases.forEach((c, i) => {
      const report = reportOf(c);
      const values = valuesOf(SEED + i);
      const order = [...report.variables.keys()].map((name) => ROLES.find((r) => canonicalOf(c.names[r]) === name)!);
      for (const format of formats) {
        if (missing.has(format)) continue;
        const module = path.join(dir, `case${i}_${format.replace(/\W/g, '_')}.py`);
        writeFileSync(module, FORMATS[format]!(report, OPTIONS));
        const spec = { module, command: c.command, truth: c.template.truth, values, order, wrt: WRT[c.command] };
        const checker = path.join(dir, `check${i}_${format.replace(/\W/g, '_')}.py`);
        writeFileSync(checker, `SPEC = ${JSON.stringify(spec)}\nexec(compile(open(${JSON.stringify(CHECKER)}, encoding="utf-8").read(), ${JSON.stringify(CHECKER)}, "exec"))\n`);
        planned.push({ label: `${c.command} ${format} ${JSON.stringify(c.names)} ${requestOf(c).expression}`, format, module, checker });
      }
    });
    runs = runPythonModules(planned.flatMap((p) => [p.module, p.checker]));
  }, 300_000);

  test('the pool holds the keywords, builtins, module names and folding names it was built from', () => {
    for (const name of ['lambda', 'in', 'is', 'len', 'max', 'print', 'id', 'np', 'torch', 'jax', 'jnp', 'scipy', 'math', 'value', 'grad_x', 'θ', 'x₁', 'Ŷ']) {
      expect(pool).toContain(name);
    }
    // The modules' own names were found and most are names matcalc accepts.
    expect(pool.filter((n) => !KEYWORDS.includes(n) && !BUILTINS.includes(n) && !SPECIAL.includes(n) && !LETTERS.includes(n)).length).toBeGreaterThan(10);
    expect(formats).toEqual(expect.arrayContaining(['numpy', 'torch']));
  });

  test('every module passes its self-check and agrees with the NumPy truth', () => {
    const failures: string[] = [];
    planned.forEach((p, i) => {
      const self = runs[2 * i]!;
      const check = runs[2 * i + 1]!;
      if (self.status !== 0) failures.push(`${p.label}: self-check exited ${self.status}\n${self.output.slice(-600)}`);
      const line = check.output.trim().split('\n').pop() ?? '';
      let verdict: { checked: number; failures: string[] } | undefined;
      try {
        verdict = JSON.parse(line) as { checked: number; failures: string[] };
      } catch {
        failures.push(`${p.label}: the check did not finish\n${check.output.slice(-800)}`);
        return;
      }
      if (check.status !== 0 || verdict.failures.length > 0) failures.push(`${p.label}: ${verdict.failures.join('; ')}`);
      // numpy and torch modules expose the functions the checker calls; a format added later may expose others.
      if ((p.format === 'numpy' || p.format === 'torch') && verdict.checked === 0) failures.push(`${p.label}: nothing was checked`);
    });
    expect(failures).toEqual([]);
    expect(planned.length).toBeGreaterThanOrEqual(2 * cases.length);
  });

  test('JSON, LaTeX and HTML carry every name intact and escaped', () => {
    for (const c of cases.filter((x) => x.command === 'grad')) {
      const report = reportOf(c);
      const json = JSON.parse(FORMATS.json!(report, OPTIONS)) as { shapes: Record<string, unknown>; function: { latex: string; numpy: string }; gradients: Record<string, { latex: string }> };
      expect(Object.keys(json.shapes)).toEqual([...report.variables.keys()]);
      // Every input occurs in f, so each one's distinct identifier is in f's NumPy expression (ſ as s, s as s_).
      const identifiers = [...reportIdentifiers(report).values()];
      expect(new Set(identifiers).size).toBe(identifiers.length);
      for (const id of identifiers) expect(json.function.numpy).toMatch(new RegExp(`(?<![\\p{L}\\p{N}_])${id}(?![\\p{L}\\p{N}_])`, 'u'));
      for (const formula of [json.function.latex, ...Object.values(json.gradients).map((g) => g.latex)]) {
        expect(() => katex.renderToString(formula, { throwOnError: true, strict: 'error' }), formula).not.toThrow();
      }
      const html = FORMATS.html!(report, OPTIONS);
      expect(html).not.toContain('katex-error');
      expect(html).not.toMatch(/<script\b/i);
    }
  });
});
