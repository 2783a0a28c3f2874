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
 * g(y) = sin(y) + ½ tanh(y), each with its exact derivative.
 */
export function abstractStandIns(parameters: readonly AbstractParameter[], library: 'numpy' | 'torch'): string[] {
  const lines: string[] = [];
  const np = library === 'numpy';
  const weights = np ? 'np.cos(1 + np.arange(np.size(Y))).reshape(np.shape(Y))' : 'torch.cos(1 + torch.arange(Y.numel(), dtype=torch.float64)).reshape(Y.shape)';
  const m = np ? 'np' : 'torch';
  for (const p of parameters) {
    const [fn, derivative] = p.params;
    if (p.role === 'scalar') {
      lines.push(`${fn} = lambda Y: ${m}.sum(${weights} * ${m}.tanh(Y)) + 0.25 * ${m}.sum(Y * Y)`);
      lines.push(`${derivative} = lambda Y: ${weights} * (1 - ${m}.tanh(Y) ** 2) + 0.5 * Y`);
    } else {
      lines.push(`${fn} = lambda Y: ${m}.sin(Y) + 0.5 * ${m}.tanh(Y)`);
      lines.push(`${derivative} = lambda Y: ${m}.cos(Y) + 0.5 * (1 - ${m}.tanh(Y) ** 2)`);
    }
  }
  return lines;
}
