import type { Tensor } from '@sparsekit/tensor';

/**
 * Where a long computation lets its driver run other work: between learning iterations and
 * between chunks of denoised patches. The synchronous driver goes straight on; the async one
 * waits for the next macrotask, so a timer, a Worker's message or a UI event (an abort) runs.
 * @internal
 */
export const PAUSE: unique symbol = Symbol('sparsekit.dictionary.pause');

/** What a computation asks of its driver: a tensor whose values it reads, or a {@link PAUSE}. @internal */
export type Need = Tensor | typeof PAUSE;

/**
 * A computation of this package that reads tensor kernels' results, written once for both
 * contracts: a generator that yields each tensor whose values it needs and is resumed with
 * them (a `PAUSE` is resumed with nothing). {@link runSync} reads with `dataSync()`,
 * {@link runAsync} with `await data()`, the only readback WebGPU has — the tensor package's
 * kernel executor drives its plans the same way. The computation owns the tensors it yields
 * (it disposes them in a `finally`); drivers only read them.
 * @internal
 */
export type Steps<T> = Generator<Need, T, Float32Array>;

/**
 * Runs `steps` to the end with synchronous reads; a read that throws (a `BackendError` on
 * WebGPU) closes the generator first, so its `finally` blocks release its tensors.
 * @internal
 */
export function runSync<T>(steps: Steps<T>): T {
  try {
    let r = steps.next();
    while (!r.done) r = r.value === PAUSE ? steps.next() : steps.next(r.value.dataSync());
    return r.value;
  } finally {
    steps.return(undefined as T);
  }
}

/** Runs `steps` to the end, awaiting every read, and a macrotask at every {@link PAUSE}; never reads synchronously. @internal */
export async function runAsync<T>(steps: Steps<T>): Promise<T> {
  try {
    let r = steps.next();
    while (!r.done) {
      if (r.value === PAUSE) {
        await nextTask();
        r = steps.next();
      } else {
        r = steps.next(await r.value.data());
      }
    }
    return r.value;
  } finally {
    steps.return(undefined as T);
  }
}

function nextTask(): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, 0));
}
