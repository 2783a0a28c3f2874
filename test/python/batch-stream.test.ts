import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { bin, matcalc } from '../json/helpers.js';

/**
 * `matcalc batch --stream`, the mode the Python package keeps one process in: the same bytes as
 * `matcalc batch` for the same input, but each line answered while standard input is still open.
 */

const MIXED = [
  '\uFEFF{"expr": "aᵀexp(Xb)", "wrt": "X", "id": "first"}',
  'this is not json',
  '',
  '{"expr": "xᵀSx", "id": 7}',
  '{"expr": "A*x", "wrt": "x", "dims": "A=3x4"}\r',
  '{"expr": "xᵀ(A", "wrt": "x"}',
  '{"expr": "exp(A*x)", "wrt": "x", "command": "jac", "id": 𝟙}',
  '{"expr": "𝟙ᵀexp(x)", "wrt": "x"}',
].join('\n');

/** The built CLI in stream mode, fed `chunks` one by one, a few milliseconds apart. */
async function streamed(chunks: readonly Buffer[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, 'batch', '--stream'], { env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  for (const chunk of chunks) {
    child.stdin.write(chunk);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  child.stdin.end();
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

describe('matcalc batch --stream', () => {
  it('writes the same bytes as batch, whatever the chunks (a UTF-8 character split, a BOM, CRLF, no final newline)', async () => {
    const whole = await matcalc(['batch'], MIXED);
    const bytes = Buffer.from(MIXED, 'utf8');
    // Cut every 7 bytes: the cuts fall inside multi-byte characters (ᵀ, 𝟙, the BOM).
    const pieces: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7) pieces.push(bytes.subarray(i, i + 7));
    const stream = await streamed(pieces);
    expect(whole.stdout.split('\n')).toHaveLength(8); // seven requests, then the final newline
    expect(stream.stdout).toBe(whole.stdout);
    expect(stream.code).toBe(whole.code);
    expect(stream.code).toBe(2);
    expect(stream.stderr).toBe('');
  });

  it('answers a line while standard input stays open', async () => {
    const child = spawn(process.execPath, [bin, 'batch', '--stream'], { env: { ...process.env, NO_COLOR: '1' } });
    child.stdout.setEncoding('utf8');
    const answers: string[] = [];
    let buffered = '';
    const next = () =>
      new Promise<string>((resolve) => {
        const poll = () => {
          const end = buffered.indexOf('\n');
          if (end >= 0) {
            const line = buffered.slice(0, end);
            buffered = buffered.slice(end + 1);
            resolve(line);
          } else child.stdout.once('data', (s: string) => ((buffered += s), poll()));
        };
        poll();
      });
    for (const [i, expr] of ['xᵀx', 'aᵀexp(Xb)', 'log(det(X))'].entries()) {
      child.stdin.write(`{"expr": "${expr}", "wrt": "${i === 0 ? 'x' : 'X'}", "id": ${i}}\n`);
      answers.push(await next());
    }
    expect(answers.map((a) => (JSON.parse(a) as { id: number }).id)).toEqual([0, 1, 2]);
    expect((JSON.parse(answers[1]!) as { gradient: { text: string } }).gradient.text).toBe('(exp(Xb) ⊙ a)bᵀ');
    expect(child.exitCode).toBeNull(); // still running: nothing was closed
    child.stdin.end();
    const [code] = (await once(child, 'close')) as [number | null];
    expect(code).toBe(0);
  });

  it('SIGINT while waiting for input ends it with 130', async () => {
    const child = spawn(process.execPath, [bin, 'batch', '--stream'], { env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdin.write('{"expr": "xᵀx", "wrt": "x"}\n');
    await once(child.stdout, 'data');
    child.kill('SIGINT');
    const [code] = (await once(child, 'close')) as [number | null];
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted/);
  });

  it('reads standard input only', async () => {
    const run = await matcalc(['batch', '--stream', 'requests.jsonl']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--stream reads standard input/);
  });
});
