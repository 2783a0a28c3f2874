import { it } from 'vitest';
import { add, fn, hmul, mul, num, ones, reduce, transpose, variable } from '../../../src/term/factory.js';
import type { Shape } from '../../../src/term/term.js';
import { checkGradient } from '../../../src/verify/finite-difference.js';
it('probe', () => {
  const x = variable('x', ['n', 1]);
  const fast = mul([num(1e5), x]);
  const f = reduce('sum', fn('abs', fn('sin', fast)));
  const g = hmul([mul([num(1e5), fn('cos', fast)]), fn('sign', fn('sin', fast))]);
  for (let seed = 0; seed < 3; seed++) {
    const r = checkGradient({ f, gradients: new Map([['x', g]]), variables: new Map<string, Shape>([['x', ['n', 1]]]), dimSizes: new Map([['n', 3]]), seed });
    console.log(JSON.stringify(r));
  }
  const a = variable('a', ['n', 1]); const X = variable('X', ['n', 'm']); const b = variable('b', ['m', 1]);
  const e = fn('exp', mul([X, b]));
  const r = checkGradient({ f: mul([transpose(a), e]), gradients: new Map([['X', add([mul([hmul([e, a]), transpose(b)]), mul([num(1e-3), ones(['n','m'])])])]]),
    variables: new Map<string, Shape>([['a', ['n', 1]], ['X', ['n', 'm']], ['b', ['m', 1]]]), dimSizes: new Map([['n', 3], ['m', 4]]), seed: 1 });
  console.log(JSON.stringify(r));
  const r2 = checkGradient({ f: reduce('sum', fn('sin', mul([num(30), x]))), gradients: new Map([['x', mul([num(30), fn('cos', mul([num(30), x]))])]]),
    variables: new Map<string, Shape>([['x', ['n', 1]]]), dimSizes: new Map([['n', 3]]), seed: 1 });
  console.log(JSON.stringify(r2));
});
