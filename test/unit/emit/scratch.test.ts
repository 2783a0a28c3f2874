import { test } from 'vitest';
import * as F from '../../../src/term/factory.js';
import { emitText } from '../../../src/emit/text.js';
import { emitAscii, asciiProgram } from '../../../src/emit/ascii.js';
import { emitLatex } from '../../../src/emit/latex.js';
import { emitNumpy } from '../../../src/emit/numpy.js';

test('scratch', () => {
  const n = 'n', m = 'm';
  const X = F.variable('X', [n, n]), A = F.variable('A', [m, n]), S = F.variable('S', [n, n]);
  const x = F.variable('x', [n, 1]), y = F.variable('y', [m, 1]), a = F.variable('a', [n, 1]), b = F.variable('b', [n, 1]);
  const M = F.variable('M', [n, n]), W = F.variable('W', [n, n]);
  const cases = [
    F.mul([F.hmul([F.fn('exp', F.mul([X, b])), a]), F.transpose(b)]),
    F.mul([F.num(2), F.transpose(A), F.add([F.mul([A, x]), F.mul([F.num(-1), y])])]),
    F.mul([F.add([S, F.transpose(S)]), x]),
    F.transpose(F.inv(X)),
    F.mul([F.num(3), F.transpose(F.mpow(X, 2))]),
    F.mul([F.add([S, F.transpose(S)]), x, F.epow(F.mul([F.transpose(x), x]), F.num(-1))]),
    F.mul([F.num(2), S, x, F.epow(F.reduce('norm2', x), F.num(-1))]),
  ];
  const Y = F.fn('sigmoid', F.mul([W, X]));
  const g = F.mul([F.transpose(W), F.hmul([F.mul([F.add([M, F.transpose(M)]), Y]), Y, F.add([F.ones([n, n]), F.mul([F.num(-1), Y])])])]);
  cases.push(g);
  for (const c of cases) {
    console.log(emitText([c]).main[0], ' | ', emitAscii([c]).main[0], ' | ', emitLatex([c]).main[0]);
    console.log('   ', emitNumpy(c, { dimExpr: (d) => String(d) }));
  }
  console.log(JSON.stringify(emitText([g])), JSON.stringify(emitText([g], { names: new Map([[Y, 'Y']]) })));
  console.log(asciiProgram(emitAscii([g])));
  console.log(emitLatex([g]));
  console.log(emitNumpy(g, { dimExpr: (d) => String(d) , names: new Map([[Y, 'Y']])}));
});
