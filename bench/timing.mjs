// Shared by the benchmarks: the median of repeated timings, and the fitted exponent of time vs L.

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Times `run` up to `repeats` times (once more is pointless past 2 s), median in ms; `before` runs
 * untimed ahead of each repetition (BENCH_FRESH forgets every term there). Returns the last result.
 */
export function timeMedian(run, { repeats = 5, before = () => {} } = {}) {
  const times = [];
  let result;
  for (let r = 0; r < repeats; r++) {
    before();
    const t0 = performance.now();
    result = run();
    times.push(performance.now() - t0);
    if (times[0] > 2000) break;
  }
  return { ms: median(times), result };
}

/** "fitted exponent of time vs L (L = 16…512): 1.02" from points [L, ms], using L ≥ 16; '' if too few. */
export function exponentLine(points) {
  const tail = points.filter(([L]) => L >= 16);
  if (tail.length < 2) return '';
  const [l0, t0] = tail[0];
  const [l1, t1] = tail[tail.length - 1];
  return `  fitted exponent of time vs L (L = ${l0}…${l1}): ${(Math.log(t1 / t0) / Math.log(l1 / l0)).toFixed(2)}`;
}

/**
 * Whether time grows with L: the worst ratio t(L) / t(L′) over L < L′ (above 1: a smaller size was
 * slower than a larger one), from points [L, ms]. Returns { ratio, small, large } or undefined.
 */
export function worstInversion(points) {
  let worst;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const ratio = points[i][1] / points[j][1];
      if (worst === undefined || ratio > worst.ratio) worst = { ratio, small: points[i], large: points[j] };
    }
  }
  return worst;
}
