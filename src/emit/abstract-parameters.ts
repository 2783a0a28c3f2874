import { abstractFunctionName } from '../term/abstract-functions.js';
import { opDeclaration, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import { abstractParameter } from './numpy.js';

/**
 * The callables a generated module takes for the abstract functions its terms call
 * (term/abstract-functions.ts, docs/abstract-functions.md): a scalar f is passed as `f` and its
 * gradient `grad_f`, an element-wise g as `g` and `g_prime`. Both of a pair are parameters even when
 * only one is called (the value needs f, the gradient ∇f), so every module of one problem has the
 * same signature. In order of first appearance.
 */
export interface AbstractParameter {
  readonly name: string;
  readonly role: 'scalar' | 'elementwise';
  /** The parameters, in order: [f, grad_f] or [g, g_prime]. */
  readonly params: readonly [string, string];
}

export function abstractParameters(terms: readonly Term[]): AbstractParameter[] {
  const found = new Map<string, AbstractParameter>();
  for (const node of postOrder(terms)) {
    if (node.kind !== 'op') continue;
    const role = opDeclaration(node.op).abstract;
    if (role === undefined) continue;
    const name = abstractFunctionName(node.args);
    if (found.has(name)) continue;
    const scalar = role === 'scalar' || role === 'gradient';
    found.set(name, {
      name,
      role: scalar ? 'scalar' : 'elementwise',
      params: scalar ? [abstractParameter('absfn', name), abstractParameter('absgrad', name)] : [abstractParameter('absew', name), abstractParameter('absewd', name)],
    });
  }
  return [...found.values()];
}

/**
 * Smooth stand-ins for the self-check of a module (any smooth function with its derivative will do):
 * f(Y) = Σ cᵢ tanh(Yᵢ) + ¼‖Y‖² with cᵢ = cos(1 + i) over Y's entries in order, and
 * g(y) = sin(y) + ½ tanh(y), each with its exact derivative: one `lambda Y: …` per parameter, in
 * the library the module computes with (jax: jax.numpy, differentiable by jax.grad as torch's by autograd).
 */
export function standIns(parameters: readonly AbstractParameter[], library: 'numpy' | 'torch' | 'jax'): (readonly [string, string])[] {
  const m = library === 'jax' ? 'jnp' : library === 'numpy' ? 'np' : 'torch';
  const weights = library === 'torch' ? 'torch.cos(1 + torch.arange(Y.numel(), dtype=torch.float64)).reshape(Y.shape)' : `${m}.cos(1 + ${m}.arange(${m}.size(Y))).reshape(${m}.shape(Y))`;
  return parameters.flatMap((p): (readonly [string, string])[] => {
    const [fn, derivative] = p.params;
    return p.role === 'scalar'
      ? [
          [fn, `lambda Y: ${m}.sum(${weights} * ${m}.tanh(Y)) + 0.25 * ${m}.sum(Y * Y)`],
          [derivative, `lambda Y: ${weights} * (1 - ${m}.tanh(Y) ** 2) + 0.5 * Y`],
        ]
      : [
          [fn, `lambda Y: ${m}.sin(Y) + 0.5 * ${m}.tanh(Y)`],
          [derivative, `lambda Y: ${m}.cos(Y) + 0.5 * (1 - ${m}.tanh(Y) ** 2)`],
        ];
  });
}

/**
 * The self-check's stand-ins as one dict literal (`{"f": lambda Y: …, …}`): no local is bound, so
 * a function named like a local of the check (`inputs`, `h`) or a function of the module shadows nothing.
 */
export function standInDict(parameters: readonly AbstractParameter[], library: 'numpy' | 'torch' | 'jax'): string {
  return `{${standIns(parameters, library).map(([name, value]) => `${JSON.stringify(name)}: ${value}`).join(', ')}}`;
}

/** What the caller passes for an abstract function, for the module's docstring. */
export function abstractDoc(a: AbstractParameter, library: string): string {
  const [fn, derivative] = a.params;
  return a.role === 'scalar'
    ? `${fn}, ${derivative}: the function ${a.name} the expression declares (--function): ${fn}(Y) returns a scalar, ${derivative}(Y) its gradient, a ${library} array of Y's shape.`
    : `${fn}, ${derivative}: the element-wise function ${a.name} the expression declares (--elementwise): ${fn}(Y) and its derivative ${derivative}(Y), entry by entry, ${library} arrays of Y's shape.`;
}
