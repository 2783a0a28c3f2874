import { test } from 'vitest';
import * as F from '../../../src/term/factory.js';
import { emitText } from '../../../src/emit/text.js';
import { planSharing } from '../../../src/emit/sharing.js';
test('build', () => {
  const x = F.variable('x', ['n', 1]);
  for (const N of [10000, 20000, 40000]) {
  let u: any = x;
  for (let i = 0; i < N; i++) u = F.add([u, F.mul([F.num(-i - 1), x])]);
  let t0 = performance.now();
  planSharing([u]);
  console.log('plan', N, performance.now() - t0, process.memoryUsage().heapUsed / 1e6); t0 = performance.now();
  const s = emitText([u]).main[0]!;
  console.log('emit', N, performance.now() - t0, process.memoryUsage().heapUsed / 1e6, s.length);
  }
}, 120000);
