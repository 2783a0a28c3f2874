import type { Command, PlaygroundResult, PlaygroundState } from './engine.js';

/** What the page and the engine's worker say to each other (runner.ts, worker.ts). The page's script imports only this module and types of engine.ts, never the engine's code. */

export type { Command };

export const COMMANDS: readonly Command[] = ['grad', 'diff', 'jac', 'hess'];

export interface Job {
  readonly id: number;
  readonly state: PlaygroundState;
}

export interface Timed {
  /** The input this answers. */
  readonly state: PlaygroundState;
  readonly result: PlaygroundResult;
  /** The engine's time for this run (ms). */
  readonly ms: number;
}

export interface Answer extends Timed {
  readonly id: number;
}

/** Where the engine's script, run in the page itself (no worker), leaves its entry point. */
export const ENGINE_GLOBAL = '__matcalcPlaygroundEngine';
