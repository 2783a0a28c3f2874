import { parentPort, Worker } from 'node:worker_threads';
import { BATCH_WORKER_ENV } from './batch-worker-mark.js';
import { ExitCode } from './exit-codes.js';
import { answerLines, requestLines, runBatch, worse, type BatchOptions, type InputLine } from './batch.js';

/**
 * `matcalc batch --jobs N`: the requests answered by N worker threads, the output exactly as one
 * thread writes it. The main thread cuts the lines into chunks, hands the next chunk to whichever
 * worker is free, and writes the chunks' answers strictly in input order as they become complete,
 * so a reader sees the same lines in the same order whatever the number of jobs (each request is
 * answered as a fresh process would: batch.ts resets the terms before each, so which worker answers
 * it changes nothing). Each worker loads matcalc once (tens of milliseconds), so a short batch runs
 * on the main thread alone.
 */

/** Lines per message: large enough that messages cost nothing beside the requests, small enough to share out evenly. */
const CHUNK_LINES = 64;


interface ChunkRequest {
  readonly chunk: number;
  readonly lines: readonly InputLine[];
  readonly sourceName: string;
  readonly check: boolean;
}

interface ChunkAnswer {
  readonly chunk: number;
  readonly text: string;
  readonly code: number;
}

/** Runs the batch on `jobs` worker threads (one: on this thread, as runBatch). Same answers, same order, same exit code. */
export async function runBatchJobs(text: string, sourceName: string, options: BatchOptions, jobs: number): Promise<number> {
  const lines = requestLines(text);
  const chunks: InputLine[][] = [];
  for (let i = 0; i < lines.length; i += CHUNK_LINES) chunks.push(lines.slice(i, i + CHUNK_LINES));
  const workers = Math.min(jobs, chunks.length);
  if (workers <= 1) return runBatch(text, sourceName, options);

  const answers: (ChunkAnswer | undefined)[] = [];
  let nextToSend = 0;
  let nextToWrite = 0;
  let done = 0;
  let code: number = ExitCode.Ok;
  let stopped = false;
  const pool: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const send = (worker: Worker): void => {
        if (options.interrupted?.()) stopped = true;
        if (stopped || nextToSend >= chunks.length) return;
        const chunk = nextToSend++;
        worker.postMessage({ chunk, lines: chunks[chunk]!, sourceName, check: options.check !== false } satisfies ChunkRequest);
      };
      const writeReady = (): void => {
        for (let answer = answers[nextToWrite]; answer !== undefined; answer = answers[++nextToWrite]) {
          options.write(answer.text);
          code = worse(code, answer.code);
          done += chunks[nextToWrite]!.length;
          options.progress?.(done, lines.length);
          answers[nextToWrite] = undefined;
        }
        if (nextToWrite === chunks.length || (stopped && nextToWrite === nextToSend)) resolve();
      };
      for (let i = 0; i < workers; i++) {
        // The bin (matcalc.js, the bundle) sees the mark and answers chunks instead of parsing a command line.
        const worker = new Worker(new URL('./matcalc.js', import.meta.url), {
          workerData: { matcalcBatchWorker: true },
          env: { ...process.env, [BATCH_WORKER_ENV]: '1' },
        });
        pool.push(worker);
        worker.on('message', (answer: ChunkAnswer) => {
          answers[answer.chunk] = answer;
          send(worker);
          writeReady();
        });
        worker.on('error', reject);
        worker.on('exit', (status) => {
          if (nextToWrite < chunks.length && !stopped) reject(new Error(`a batch worker stopped (exit code ${status})`));
        });
        send(worker);
      }
    });
  } finally {
    stopped = true;
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return nextToWrite < chunks.length ? ExitCode.Interrupted : code;
}

/** A worker's side: answers each chunk it is sent, as runBatch answers lines, until the main thread ends it. */
export function serveBatchChunks(errorJson: BatchOptions['errorJson']): void {
  parentPort!.on('message', (request: ChunkRequest) => {
    const { text, code } = answerLines(request.lines, request.sourceName, { errorJson, check: request.check });
    parentPort!.postMessage({ chunk: request.chunk, text, code } satisfies ChunkAnswer);
  });
}
