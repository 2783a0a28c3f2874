/**
 * The engine's script (the second bundle of scripts/bundle-playground.mjs): the library behind
 * engine.ts, without the page or KaTeX. The page starts it as a Web Worker from a blob: URL of its
 * text; where no worker can start, the page runs it as a script of its own and calls the engine
 * through ENGINE_GLOBAL (runner.ts).
 */
import { run, type PlaygroundState } from './engine.js';
import { ENGINE_GLOBAL, type Answer, type Job } from './protocol.js';

function timedRun(state: PlaygroundState): Omit<Answer, 'id'> {
  const started = performance.now();
  const result = run(state);
  return { state, result, ms: performance.now() - started };
}

if (!('document' in globalThis)) {
  // The worker's global scope, as much of it as is used (the DOM and WebWorker libs do not mix).
  const scope = globalThis as unknown as { onmessage: (event: { data: Job }) => void; postMessage(answer: Answer): void };
  scope.onmessage = (event) => scope.postMessage({ id: event.data.id, ...timedRun(event.data.state) });
} else {
  (globalThis as Record<string, unknown>)[ENGINE_GLOBAL] = timedRun;
}
