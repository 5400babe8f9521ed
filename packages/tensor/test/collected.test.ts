// A tensor dropped without dispose() gives its device memory back once the garbage collector
// takes it (memory.ts's FinalizationRegistry), whether it was still in the nursery of new
// tensors when dropped or registered long before; a disposed one is never registered.

import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { current } from '../src/backend.js';
import * as T from '../src/index.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function blocks(): number {
  return (current().adapter as unknown as { blocks: () => number }).blocks();
}

/** Collects garbage and lets finalizers run until `done()`, at most `tries` times (~20 ms each). */
async function collectUntil(done: () => boolean, tries = 100): Promise<boolean> {
  for (let i = 0; i < tries && !done(); i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  return done();
}

afterAll(() => T.disposeBackend());

/** Makes three tensors, holds them across a task boundary (the nursery is flushed), then drops them. */
async function keepAWhile(): Promise<void> {
  const held = [0, 1, 2].map((i) => T.mul(T.tensor([i, i, i]), 2));
  for (const t of held) t.materializeSync();
  await new Promise((r) => setTimeout(r, 0));
  expect(held.every((t) => !t.isDisposed)).toBe(true);
}

describe('device memory of dropped tensors', () => {
  it('comes back after collection on wasm, for tensors dropped young and old', async () => {
    T.setBackend('wasm');
    const base = blocks();
    // dropped in the same task that made them (still in the nursery)
    (() => {
      for (let i = 0; i < 5; i++) T.add(T.tensor([1, 2, 3, i]), 1).materializeSync();
    })();
    expect(blocks()).toBeGreaterThan(base);
    expect(await collectUntil(() => blocks() === base)).toBe(true);
    // made, kept past the end of their task (registered), then dropped
    await keepAWhile();
    expect(await collectUntil(() => blocks() === base)).toBe(true);
  });

  it('leaves live and disposed tensors alone: no early free, no double free', async () => {
    T.setBackend('wasm');
    const base = blocks();
    const kept = T.add(T.tensor([1, 2, 3]), 1);
    kept.materializeSync();
    const gone = T.add(T.tensor([4, 5, 6]), 1);
    gone.materializeSync();
    gone.dispose();
    await collectUntil(() => false, 10);
    // the kept tensor's block is there and reads right; the disposed one's was freed once
    expect(Array.from(kept.dataSync())).toEqual([2, 3, 4]);
    expect(blocks()).toBe(base + 1);
    kept.dispose();
    expect(blocks()).toBe(base);
  });
});
