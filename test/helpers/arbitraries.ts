import fc from 'fast-check';

/**
 * Random well-shaped scalar expressions for property tests of the gradient pipeline.
 *
 * Generation is typed: every generator produces ASCII source of one concrete shape [rows, cols],
 * from a small pool of variables whose sizes are fixed (A:3x4, B:4x3, S:3x3, R:4x4, x:3, y:4, c:1,
 * k:1), so the dims map makes every shape concrete. Sizes are 1 (scalar), 3 and 4, so every
 * combination [r, c] with r, c ∈ {1, 3, 4} has a leaf (a variable or a transposed one).
 *
 * Domains are respected by construction: log, sqrt, fractional and negative powers, and the right
 * side of ./ and / only ever see `pos(·)` sub-expressions (exp, sigmoid, softplus, ·.^2 + 1, …);
 * inv/det get well-conditioned squares (SPD forms E·Eᵀ + I, a plain square variable, E + 4·I);
 * logdet gets SPD forms (or a square variable: the checker redraws until det > 0); tan only sees
 * tanh(·) ∈ (−1, 1). Sub-expressions are fully parenthesised, so precedence never matters.
 *
 * Every compound form lists its leaves first, so fast-check shrinks towards small expressions.
 */

export interface VarSpec {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
}

export const VARIABLES: readonly VarSpec[] = [
  { name: 'A', rows: 3, cols: 4 },
  { name: 'B', rows: 4, cols: 3 },
  { name: 'S', rows: 3, cols: 3 },
  { name: 'R', rows: 4, cols: 4 },
  { name: 'x', rows: 3, cols: 1 },
  { name: 'y', rows: 4, cols: 1 },
  { name: 'c', rows: 1, cols: 1 },
  { name: 'k', rows: 1, cols: 1 },
];

const SIZES = [1, 3, 4] as const;
const SHAPES: readonly (readonly [number, number])[] = SIZES.flatMap((r) => SIZES.map((c) => [r, c] as const));

type Arb = fc.Arbitrary<string>;
type Weighted = [Arb, number];

const SMOOTH_FNS = ['exp', 'sin', 'cos', 'tanh', 'sigmoid', 'softplus', 'arctan', 'erf', 'logsigmoid', 'sinh'] as const;
const KINK_FNS = ['relu', 'abs'] as const;

function pick(options: readonly Weighted[]): Arb {
  const live = options.filter(([, w]) => w > 0);
  if (live.length === 0) throw new Error('arbitraries: no option');
  if (live.length === 1) return live[0]![0];
  // withCrossShrink: a failing case shrinks towards the first option (the leaves), not only within its own branch.
  return fc.oneof({ withCrossShrink: true }, ...live.map(([arbitrary, weight]) => ({ arbitrary, weight: Math.round(weight * 2) })));
}

function map2(a: Arb, b: Arb, f: (a: string, b: string) => string): Arb {
  return fc.tuple(a, b).map(([p, q]) => f(p, q));
}

/**
 * Constructs that trigger a known matcalc bug (each pinned by a test in test/property/regressions.test.ts).
 * The property tests ask the generator to avoid them, so the properties keep finding *other* bugs;
 * drop an entry once the bug is fixed.
 */
export type KnownBug =
  /**
   * `(x' * x) * y`: a left operand that is a 1×1 matrix product, times a non-scalar, crashed shape
   * inference ("mul: cannot chain 1x1 with 4x1"; fixed upstream). With this, scalars go on the right.
   */
  'left-scalar-product';

export interface GenOptions {
  readonly avoid?: ReadonlySet<KnownBug>;
}

/** Expression generators over one pool of leaves (the base variables, plus defined names). */
export class ExprGen {
  private readonly memo = new Map<string, Arb>();
  private readonly avoid: ReadonlySet<KnownBug>;

  constructor(
    private readonly pool: readonly VarSpec[],
    options: GenOptions = {},
  ) {
    this.avoid = options.avoid ?? new Set();
  }

  private cached(key: string, build: () => Arb): Arb {
    let arb = this.memo.get(key);
    if (arb === undefined) {
      arb = build();
      this.memo.set(key, arb);
    }
    return arb;
  }

  /** Variables (and transposed variables) of shape r×c; numbers when scalar. */
  leaf(r: number, c: number): Arb {
    return this.cached(`leaf:${r}x${c}`, () => {
      const names: string[] = [];
      for (const v of this.pool) {
        if (v.rows === r && v.cols === c) names.push(v.name);
        if (v.rows === c && v.cols === r && !(r === 1 && c === 1)) names.push(`${v.name}'`);
      }
      const options: Weighted[] = [];
      if (names.length > 0) options.push([fc.constantFrom(...names), 4]);
      if (r === 1 && c === 1) options.push([fc.constantFrom('2', '0.5', '3', '(-1.5)'), 1]);
      return pick(options);
    });
  }

  /** Any expression of shape r×c and nesting depth ≤ d. */
  expr(r: number, c: number, d: number): Arb {
    if (d <= 0) return this.leaf(r, c);
    return this.cached(`expr:${r}x${c}:${d}`, () => {
      const s = d - 1;
      const E = (rr: number, cc: number): Arb => this.expr(rr, cc, s);
      const P = (rr: number, cc: number): Arb => this.pos(rr, cc, s);
      const scalar = r === 1 && c === 1;
      const o: Weighted[] = [[this.leaf(r, c), 1.5]];

      // Linear structure.
      o.push([map2(E(r, c), E(r, c), (a, b) => `(${a} + ${b})`), 2]);
      // E − E is exactly 0: a kink argument at 0 at every draw (norm, abs, sign, relu), never a useful case.
      o.push([map2(E(r, c), E(r, c), (a, b) => (a === b ? `(${a} + ${b})` : `(${a} - ${b})`)), 1]);
      o.push([E(r, c).map((a) => `(-${a})`), 0.5]);
      if (!scalar) o.push([map2(E(1, 1), E(r, c), (a, b) => `(${a} + ${b})`), 1]);
      const scaleOnRight = this.avoid.has('left-scalar-product');
      o.push([map2(E(1, 1), E(r, c), (a, b) => (scaleOnRight ? `(${b} * ${a})` : `(${a} * ${b})`)), 1]);
      o.push([map2(E(r, c), P(1, 1), (a, b) => `(${a} / ${b})`), 1]);
      for (const m of SIZES) {
        // r = m = 1 is a scalar times a row: with the workaround, written row times scalar.
        const swap = scaleOnRight && r === 1 && m === 1 && c > 1;
        o.push([map2(E(r, m), E(m, c), (a, b) => (swap ? `(${b} * ${a})` : `(${a} * ${b})`)), 1.5]);
      }
      if (!scalar) o.push([E(c, r).map((a) => `(${a})'`), 1.5]);

      // Element-wise.
      o.push([map2(E(r, c), E(r, c), (a, b) => `(${a} .* ${b})`), 1.5]);
      o.push([map2(E(r, c), P(r, c), (a, b) => `(${a} ./ ${b})`), 1]);
      if (!scalar) o.push([map2(E(1, 1), P(r, c), (a, b) => `(${a} ./ ${b})`), 0.5]);
      o.push([fc.tuple(fc.constantFrom(...SMOOTH_FNS), E(r, c)).map(([f, a]) => `${f}(${a})`), 3]);
      o.push([fc.tuple(fc.constantFrom(...KINK_FNS), E(r, c)).map(([f, a]) => `${f}(${a})`), 1]);
      o.push([E(r, c).map((a) => `tan(tanh(${a}))`), 0.5]);
      o.push([P(r, c).map((a) => `log(${a})`), 1]);
      o.push([P(r, c).map((a) => `sqrt(${a})`), 1]);
      o.push([map2(E(r, c), E(r, c), (a, b) => `(sign(${a}) .* ${b})`), 0.5]);
      o.push([fc.tuple(E(r, c), fc.constantFrom('2', '3')).map(([a, p]) => `(${a}).^${p}`), 1]);
      o.push([fc.tuple(P(r, c), fc.constantFrom('0.5', '(-1)', '1.5', '(-0.5)')).map(([a, p]) => `(${a}).^${p}`), 1]);
      o.push([map2(P(r, c), this.bounded(1, 1, s), (a, p) => `(${a}).^(${p})`), 0.5]);

      // Square matrices.
      if (r === c && r > 1) {
        o.push([this.wellConditioned(r, s).map((a) => `inv(${a})`), 3]);
        o.push([E(r, r).map((a) => `(${a})^2`), 0.5]);
        o.push([this.wellConditioned(r, s).map((a) => `(${a})^(-1)`), 0.5]);
        o.push([E(r, 1).map((a) => `diag(${a})`), 1]);
        o.push([fc.tuple(E(r, r), fc.constantFrom('2', '0.5', '(-1)')).map(([a, n]) => `(${a} + ${n} * eye)`), 1]);
      }
      // Vectors.
      if (c === 1 && r > 1) {
        o.push([E(r, r).map((a) => `diag(${a})`), 1]);
        o.push([map2(E(r, 1), E(1, 1), (a, b) => `(${a} + vector(${b}))`), 1]);
      }
      if (r > 1 && c > 1) o.push([map2(E(r, c), E(1, 1), (a, b) => `(${a} .* matrix(${b}))`), 1]);

      // Scalars: reductions.
      if (scalar) {
        const anyShape = (f: (r: number, c: number) => Arb): Arb => fc.oneof(...SHAPES.map(([rr, cc]) => f(rr, cc)));
        o.push([fc.oneof(E(3, 3), E(4, 4)).map((a) => `tr(${a})`), 2]);
        o.push([fc.oneof(this.wellConditioned(3, s), this.wellConditioned(4, s)).map((a) => `det(${a})`), 1]);
        o.push([fc.oneof(this.spd(3, s), this.spd(4, s)).map((a) => `logdet(${a})`), 1]);
        o.push([anyShape((rr, cc) => E(rr, cc).map((a) => `sum(${a})`)), 3]);
        o.push([anyShape((rr, cc) => E(rr, cc).map((a) => `norm1(${a})`)), 1]);
        o.push([anyShape((rr, cc) => E(rr, cc).map((a) => `norm2(${a})`)), 1]);
        o.push([anyShape((rr, cc) => map2(E(rr, cc), E(rr, cc), (a, b) => `<${a}, ${b}>`)), 3]);
        o.push([E(1, 1).map((a) => `(${a})^2`), 0.5]);
        o.push([map2(P(1, 1), this.bounded(1, 1, s), (a, b) => `(${a})^(${b})`), 0.5]);
      }
      return pick(o);
    });
  }

  /** An expression of shape r×c whose entries are all positive. */
  pos(r: number, c: number, d: number): Arb {
    return this.cached(`pos:${r}x${c}:${d}`, () => {
      const s = Math.max(d - 1, 0);
      const E = (rr: number, cc: number): Arb => this.expr(rr, cc, s);
      const o: Weighted[] = [];
      if (r === 1 && c === 1) o.push([fc.constantFrom('2', '0.5', '1.5'), 1]);
      o.push([E(r, c).map((a) => `exp(${a})`), 2]);
      o.push([E(r, c).map((a) => `sigmoid(${a})`), 1]);
      o.push([E(r, c).map((a) => `softplus(${a})`), 1]);
      o.push([E(r, c).map((a) => `cosh(${a})`), 0.5]);
      o.push([E(r, c).map((a) => `((${a}).^2 + 1)`), 2]);
      o.push([E(r, c).map((a) => `(abs(${a}) + 0.5)`), 0.5]);
      if (d > 0) {
        const P = (rr: number, cc: number): Arb => this.pos(rr, cc, s);
        o.push([map2(P(r, c), P(r, c), (a, b) => `(${a} .* ${b})`), 0.5]);
        o.push([map2(P(r, c), P(r, c), (a, b) => `(${a} + ${b})`), 0.5]);
        o.push([map2(P(r, c), P(r, c), (a, b) => `(${a} ./ ${b})`), 0.5]);
        o.push([P(r, c).map((a) => `sqrt(${a})`), 0.5]);
        if (r === 1 && c === 1) {
          o.push([fc.oneof(...SHAPES.map(([rr, cc]) => E(rr, cc))).map((a) => `(norm2(${a}) + 1)`), 0.5]);
          o.push([fc.oneof(this.spd(3, s), this.spd(4, s)).map((a) => `det(${a})`), 0.5]);
        }
      }
      return pick(o);
    });
  }

  /** Entries in (−1, 1): for tan and for variable exponents. */
  bounded(r: number, c: number, d: number): Arb {
    return this.cached(`bounded:${r}x${c}:${d}`, () =>
      fc.tuple(fc.constantFrom('tanh', 'sin', 'cos'), this.expr(r, c, Math.max(d - 1, 0))).map(([f, a]) => `${f}(${a})`),
    );
  }

  /** A square n×n expression that is invertible (and not too ill-conditioned) for most draws. */
  wellConditioned(n: number, d: number): Arb {
    return this.cached(`wc:${n}:${d}`, () => {
      const names = this.pool.filter((v) => v.rows === n && v.cols === n).map((v) => v.name);
      const o: Weighted[] = [];
      if (names.length > 0) o.push([fc.constantFrom(...names), 2]);
      o.push([this.spd(n, d), 3]);
      o.push([this.expr(n, n, Math.min(d, 1)).map((a) => `(${a} + 4 * eye)`), 1]);
      return pick(o);
    });
  }

  /** A symmetric positive definite n×n expression (eigenvalues ≥ 1). */
  spd(n: number, d: number): Arb {
    return this.cached(`spd:${n}:${d}`, () => {
      const names = this.pool.filter((v) => v.rows === n && v.cols === n).map((v) => v.name);
      const o: Weighted[] = [];
      if (names.length > 0) o.push([fc.constantFrom(...names), 1]);
      for (const m of SIZES) {
        o.push([this.expr(n, m, d).map((a) => `(${a} * (${a})' + eye)`), 1]);
        o.push([this.expr(m, n, d).map((a) => `((${a})' * ${a} + eye)`), 1]);
      }
      return pick(o);
    });
  }
}

// ── whole cases ─────────────────────────────────────────────────────────────

export interface GradientCase {
  /** ASCII source. */
  readonly expression: string;
  /** --dims of the variables that occur, e.g. "A=3x4,x=3,c=1". */
  readonly dims: string;
  /** Variables to differentiate with respect to (they occur in the expression). */
  readonly wrt: readonly string[];
  /** Seed of the numeric check (and of the draws of the tests). */
  readonly seed: number;
}

/** A scalar body without definitions. */
function plainBody(baseGen: ExprGen): Arb {
  return fc.oneof(
    { arbitrary: baseGen.expr(1, 1, 1), weight: 1 },
    { arbitrary: baseGen.expr(1, 1, 2), weight: 3 },
    { arbitrary: baseGen.expr(1, 1, 3), weight: 4 },
    { arbitrary: baseGen.expr(1, 1, 4), weight: 2 },
  );
}

/** `Y = E; body` with Y used at least twice, and sometimes a second definition Z built from Y. */
function withDefinitions(baseGen: ExprGen, options: GenOptions): Arb {
  const forms = SHAPES.map(([r, c]) => {
    const Y: VarSpec = { name: 'Y', rows: r, cols: c };
    const Z: VarSpec = { name: 'Z', rows: r, cols: c };
    const gy = new ExprGen([...VARIABLES, Y], options);
    const gyz = new ExprGen([...VARIABLES, Y, Z], options);
    const one = fc
      .tuple(baseGen.expr(r, c, 2), gy.expr(r, c, 2), gy.expr(1, 1, 2))
      .map(([e, g, h]) => `Y = ${e}; <Y, ${g}> + ${h}`);
    const matrixTimes = fc
      .tuple(baseGen.expr(r, c, 2), gy.expr(r, r, 1))
      .map(([e, m]) => `Y = ${e}; <Y, ${m} * Y> + sum(Y)`);
    const two = fc
      .tuple(baseGen.expr(r, c, 2), gy.expr(r, c, 1), gy.expr(r, c, 1), gyz.expr(r, c, 1), gyz.expr(1, 1, 2))
      .map(([e, f, g, h, b]) => `Y = ${e}; Z = (${f} .* Y) + ${g}; <Z, ${h}> + sum(Y .* Z) + ${b}`);
    return fc.oneof({ arbitrary: one, weight: 2 }, { arbitrary: matrixTimes, weight: 1 }, { arbitrary: two, weight: 1 });
  });
  return fc.oneof(...forms);
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/g;

/** Pool variables that occur in the source, in pool order. */
export function variablesOf(expression: string): VarSpec[] {
  const seen = new Set(expression.match(NAME) ?? []);
  return VARIABLES.filter((v) => seen.has(v.name));
}

export function dimsOf(vars: readonly VarSpec[]): string {
  return vars.map((v) => (v.cols === 1 ? `${v.name}=${v.rows}` : `${v.name}=${v.rows}x${v.cols}`)).join(',');
}

/** Builds a case from an expression and choices (exported for regression tests). */
export function makeCase(expression: string, wrtPick: number, second: number | undefined, seed: number): GradientCase | undefined {
  const vars = variablesOf(expression);
  if (vars.length === 0) return undefined;
  const first = vars[wrtPick % vars.length]!.name;
  const wrt = [first];
  if (second !== undefined && vars.length > 1) {
    const other = vars[(wrtPick + 1 + (second % (vars.length - 1))) % vars.length]!.name;
    if (other !== first) wrt.push(other);
  }
  return { expression, dims: dimsOf(vars), wrt, seed };
}

/** Random gradient cases: an expression, its dims, a wrt drawn among the variables that occur, a seed. */
export function gradientCase(options: GenOptions = {}): fc.Arbitrary<GradientCase> {
  const baseGen = new ExprGen(VARIABLES, options);
  const source = fc.oneof({ arbitrary: plainBody(baseGen), weight: 4 }, { arbitrary: withDefinitions(baseGen, options), weight: 1 });
  return fc
    .tuple(source, fc.nat({ max: 7 }), fc.option(fc.nat({ max: 7 }), { freq: 4 }), fc.integer({ min: 1, max: 10_000 }))
    .map(([expression, pickIndex, second, seed]) => makeCase(expression, pickIndex, second ?? undefined, seed))
    .filter((c): c is GradientCase => c !== undefined);
}

/** One line that replays a case with the CLI, and one with the library. */
export function replay(c: GradientCase): string {
  const cli = `matcalc grad ${JSON.stringify(c.expression)} --wrt ${c.wrt.join(',')} --dims "${c.dims}" --seed ${c.seed}`;
  const lib = `gradient(${JSON.stringify({ expression: c.expression, wrt: c.wrt.join(','), dims: c.dims, seed: c.seed })})`;
  return `replay: ${cli}\n   or: ${lib}`;
}
