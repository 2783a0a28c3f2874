import { test } from 'vitest';
import * as F from '../../../src/term/factory.js';
import { emitText } from '../../../src/emit/text.js';
import { emitAscii, asciiProgram } from '../../../src/emit/ascii.js';
import { emitLatex } from '../../../src/emit/latex.js';
import { emitNumpy } from '../../../src/emit/numpy.js';

test('scratch', () => {
  const x = F.variable('x', ['n', 1]);
  const A = F.variable('A', ['n', 'n']);
  let t: ReturnType<typeof F.fn> | any = x;
  for (let i = 0; i < 100000; i++) t = F.fn('exp', t);
  let u: any = x;
  for (let i = 0; i < 100000; i++) u = F.add([u, F.mul([F.num(-i - 1), x])]);
  let v: any = x;
  for (let i = 0; i < 100000; i++) v = F.mul([A, v]);
  let w: any = x;
  for (let i = 0; i < 100000; i++) w = F.add([x, w]);
  const terms = []; for (let i = 0; i < 100000; i++) terms.push(F.mul([F.num(i), x]));
  const big = F.add(terms);
  let h: any = x;
  for (let i = 0; i < 200; i++) h = F.hmul([h, h]);
  for (const [name, r] of [['exp', t], ['sumchain', u], ['mulchain', v], ['rightsum', w], ['big', big], ['dag', h]] as const) {
    for (const [pn, p] of [['text', (r: any) => emitText([r]).main[0]!], ['ascii', (r: any) => emitAscii([r]).main[0]!], ['latex', (r: any) => emitLatex([r]).main[0]!], ['numpy', (r: any) => emitNumpy(r, {dimExpr: String})]] as const) {
      const t0 = performance.now();
      const out = p(r);
      console.log(name, pn, out.length, (performance.now() - t0).toFixed(0) + 'ms', out.slice(0, 40), out.slice(-30));
    }
  }
}, 120000);
