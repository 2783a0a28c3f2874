/**
 * A seeded PRNG for drawing inputs and directions: xoshiro128** with its state filled by splitmix32.
 * Only 32-bit integer arithmetic (Math.imul, shifts) decides the stream, so a seed gives the same
 * draws on every machine; normals use the Marsaglia polar method, which needs only log and sqrt
 * (V8 computes Math.log with a portable fdlibm port, so those agree across platforms too).
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** The second normal of the last polar pair, served on the next call. */
  private spare: number | undefined;

  constructor(seed: number) {
    let state = foldSeed(seed);
    const next = (): number => {
      state = (state + 0x9e3779b9) | 0;
      return splitmix32(state);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    // xoshiro's all-zero state is a fixed point; splitmix32 makes it practically impossible, but be sure.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform in [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** A standard normal draw. */
  normal(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    for (;;) {
      const u = 2 * this.next() - 1;
      const v = 2 * this.next() - 1;
      const s = u * u + v * v;
      if (s === 0 || s >= 1) continue;
      const factor = Math.sqrt((-2 * Math.log(s)) / s);
      this.spare = v * factor;
      return u * factor;
    }
  }
}

export function createRng(seed: number): Rng {
  return new Rng(seed);
}

/**
 * An independent seed for sub-stream `stream` of `seed`, so that, e.g., the draw of attempt 3 does
 * not depend on how many numbers attempts 0–2 consumed.
 */
export function deriveSeed(seed: number, stream: number): number {
  return splitmix32((foldSeed(seed) ^ Math.imul(foldSeed(stream) + 1, 0x85ebca6b)) | 0) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function splitmix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

/** Any finite number to 32 bits: integers up to 2⁵³ keep both halves, other values hash their text. */
function foldSeed(seed: number): number {
  if (Number.isSafeInteger(seed)) {
    const low = seed % 4294967296;
    const high = Math.floor(seed / 4294967296);
    return (splitmix32(high | 0) ^ (low | 0)) | 0;
  }
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}
