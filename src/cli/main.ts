#!/usr/bin/env node
import { run } from './command-line.js';

/**
 * The command line's entry (the bundle's, scripts/bundle-cli.mjs, and dist/src/cli/main.js): runs
 * it. Everything else is in command-line.ts, which evaluating does not run, so that the start-up
 * snapshot (snapshot.ts) can hold it evaluated.
 */
void run();
