// Stopping a run between batches or iterations: the experiments check the caller's
// AbortSignal there and unwind with a private error that never leaves the experiments.

/** Thrown inside an experiment when its signal has fired; caught where finished work is kept. */
export class RunAborted extends Error {
  constructor() {
    super('the run was stopped');
    this.name = 'RunAborted';
  }
}

/** Throws {@link RunAborted} when `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RunAborted();
}

/** Whether `e` is the abort unwinding (and not a real failure). */
export const isAbort = (e: unknown): e is RunAborted => e instanceof RunAborted;

/**
 * Yields to the event loop (a macrotask), so a stop message or keypress queued behind
 * synchronous kernels is handled before the next batch.
 */
export const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
