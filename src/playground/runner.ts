/// <reference lib="dom" />
/**
 * Where the engine runs: in a Web Worker started from the engine's script, which the page carries
 * as text (a blob: URL of it is the only kind of worker a file:// page may start), so typing never
 * waits for a long derivative, and a run made stale by newer input is abandoned. The policy, as
 * data: one run at a time; newer input waits for the running one (latest wins) unless that one has
 * run for RESTART_AFTER_MS, then the worker is dropped and a fresh one takes the newest input.
 * Where no worker can start, the engine's script runs in the page itself (worker.ts leaves its
 * entry point at ENGINE_GLOBAL) and each run blocks the page while it lasts.
 */
import type { PlaygroundState } from './engine.js';
import { ENGINE_GLOBAL, type Answer, type Job, type Timed } from './protocol.js';

const RESTART_AFTER_MS = 800;

type InPage = (state: PlaygroundState) => Timed;

/** The page's side: requests go in, the answer to the newest request comes out (older answers are dropped). */
export class Runner {
  private worker: Worker | undefined;
  private inPage: InPage | undefined;
  private running: { job: Job; since: number } | undefined;
  private queued: Job | undefined;
  private latest = 0;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly url: string | undefined;

  constructor(
    private readonly source: string,
    private readonly deliver: (answer: Timed) => void,
  ) {
    try {
      this.url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    } catch {
      this.url = undefined;
    }
    this.worker = this.start();
  }

  request(state: PlaygroundState): void {
    const job = { id: ++this.latest, state };
    if (!this.worker) {
      this.deliver(this.engineInPage()(state));
      return;
    }
    if (!this.running) {
      this.post(job);
      return;
    }
    this.queued = job;
    const waited = performance.now() - this.running.since;
    if (waited >= RESTART_AFTER_MS) this.restart();
    else if (this.restartTimer === undefined) this.restartTimer = setTimeout(() => this.restartIfStuck(), RESTART_AFTER_MS - waited);
  }

  /** Nothing to answer any more (the box was emptied): a run in flight or queued is not shown. */
  cancel(): void {
    this.latest++;
    this.queued = undefined;
  }

  private start(): Worker | undefined {
    if (!this.url || typeof Worker === 'undefined') return undefined;
    try {
      const worker = new Worker(this.url);
      worker.onmessage = (event: MessageEvent<Answer>) => this.answered(event.data);
      worker.onerror = (event) => {
        // The worker could not run (a browser that refuses blob: workers): the page runs the engine.
        event.preventDefault();
        this.fallBack();
      };
      return worker;
    } catch {
      return undefined;
    }
  }

  /** The engine's script run as a script of the page (once), for browsers without workers. */
  private engineInPage(): InPage {
    if (!this.inPage) {
      const script = document.createElement('script');
      script.textContent = this.source;
      document.head.append(script);
      script.remove();
      this.inPage = (globalThis as unknown as Record<string, InPage>)[ENGINE_GLOBAL];
      if (!this.inPage) throw new Error('the engine script did not start');
    }
    return this.inPage;
  }

  private post(job: Job): void {
    this.running = { job, since: performance.now() };
    this.worker!.postMessage(job);
  }

  private answered(answer: Answer): void {
    this.running = undefined;
    this.clearTimer();
    if (answer.id === this.latest) this.deliver(answer);
    const next = this.queued;
    this.queued = undefined;
    if (next) this.post(next);
  }

  private restartIfStuck(): void {
    this.restartTimer = undefined;
    if (this.running && this.queued) this.restart();
  }

  /** Drops a worker busy with a stale run; a fresh one takes the newest input. */
  private restart(): void {
    this.clearTimer();
    this.worker?.terminate();
    this.running = undefined;
    this.worker = this.start();
    const next = this.queued;
    this.queued = undefined;
    if (next) this.request(next.state);
  }

  private fallBack(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.clearTimer();
    const pending = this.queued ?? this.running?.job;
    this.running = undefined;
    this.queued = undefined;
    if (pending) this.request(pending.state);
  }

  private clearTimer(): void {
    if (this.restartTimer !== undefined) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }
}
