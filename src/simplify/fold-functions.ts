import type { ElementwiseFn } from '../term/term.js';

/** Exact constant folding only: exp(0) = 1, but exp(1) stays exp(1). */
export function foldFunction(name: ElementwiseFn, v: number): number | undefined {
  switch (name) {
    case 'exp':
      return v === 0 ? 1 : undefined;
    case 'log':
      return v === 1 ? 0 : undefined;
    case 'sin':
    case 'tan':
    case 'tanh':
    case 'log1p':
    case 'expm1':
    case 'sinh':
    case 'arctan':
    case 'erf':
      return v === 0 ? 0 : undefined;
    case 'cos':
    case 'cosh':
      return v === 0 ? 1 : undefined;
    case 'log2':
    case 'log10':
      return v === 1 ? 0 : undefined;
    case 'sigmoid':
      return v === 0 ? 0.5 : undefined;
    case 'relu':
      return Math.max(v, 0);
    case 'abs':
      return Math.abs(v);
    case 'sign':
      return Math.sign(v);
    case 'step':
      return v > 0 ? 1 : v < 0 ? 0 : 0.5;
    case 'sqrt': {
      const r = Math.sqrt(v);
      return Number.isInteger(r) ? r : undefined;
    }
    case 'softplus':
    case 'logsigmoid':
      return undefined;
  }
}
