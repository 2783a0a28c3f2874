/**
 * The environment variable a `batch --jobs` worker thread is started with (batch-jobs.ts). It only
 * tells the bin to load node:worker_threads and look at its workerData; a process that merely has it
 * set runs as usual (it is on the main thread). Kept apart so that the bin's start-up loads neither
 * node:worker_threads nor batch-jobs.ts for it.
 */
export const BATCH_WORKER_ENV = 'MATCALC_BATCH_WORKER';
