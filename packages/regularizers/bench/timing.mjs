// Shared by the package's benches: how a call is timed and what one timed call does.
import * as A from '@sparsekit/autograd';

/** Median milliseconds of `fn` over runs for about `seconds` (at least 10), after 5 warm-up runs. */
export function medianMs(fn, seconds) {
  for (let i = 0; i < 5; i++) fn();
  const samples = [];
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000 || samples.length < 10) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

/** A module's eval forward pass as a tensor function (no graph kept). */
export const denseForward = (model) => (x) => A.noGrad(() => A.tidy(() => model.forward(x).value));

/** One timed call: predict, read the output back (so lazy work is included), free it. */
export const readBack = (predict, x) => () => {
  const y = predict(x);
  y.dataSync();
  y.dispose();
};
