import {
  BackendError,
  type BackendName,
  getBackend,
  memory,
  Random,
  setBackend,
  Tensor,
  tensor,
} from '@sparsekit/tensor';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addNoise, loadBoats } from '../bench/boats.mjs';
import {
  type DenoiseOptions,
  type DenoiseProgress,
  denoise,
  denoiseAsync,
  KSVD,
  MOD,
  makeSparseCodedSignal,
  OnlineDictionaryLearning,
  orthogonalMatchingPursuit,
  orthogonalMatchingPursuitAsync,
} from '../src/index.js';
import { PAUSE, runAsync, runSync, type Steps } from '../src/steps.js';

// Node has no WebGPU, so the async path is checked two ways on the backends Node has: it
// computes bit for bit what the synchronous path computes, and it never reads synchronously —
// with the backend made to refuse synchronous reads as WebGPU does (the tensor package's own
// tests simulate WebGPU the same way) and with every synchronous reader counted.

const BACKENDS: readonly BackendName[] = ['cpu', 'webasm', 'wasm'];

afterEach(() => {
  vi.restoreAllMocks();
  setBackend('auto');
});

/** A toy computation: reads `t` twice around a pause and returns the sum of both reads. */
function* twoReads(t: Tensor, log: string[]): Steps<number> {
  const a = yield t;
  log.push('read');
  yield PAUSE;
  log.push('resumed');
  const b = yield t;
  return a.reduce((s, v) => s + v, 0) + b.reduce((s, v) => s + v, 0);
}

describe('runSync and runAsync', () => {
  it('resume a computation with the values of each tensor it yields, and return its result', async () => {
    const t = tensor([1, 2, 3]);
    expect(runSync(twoReads(t, []))).toBe(12);
    expect(await runAsync(twoReads(t, []))).toBe(12);
  });

  it('runAsync lets a macrotask run at a pause; runSync goes straight on', async () => {
    const t = tensor([1]);
    const log: string[] = [];
    setTimeout(() => log.push('timer'), 0);
    runSync(twoReads(t, log));
    expect(log).toEqual(['read', 'resumed']);
    log.length = 0;
    await runAsync(twoReads(t, log));
    expect(log).toEqual(['read', 'timer', 'resumed']);
  });

  it('close the computation when a read fails, so its finally blocks run', async () => {
    const closed: string[] = [];
    function* guarded(t: Tensor): Steps<void> {
      try {
        yield t;
      } finally {
        closed.push('closed');
      }
    }
    const gone = tensor([1]);
    gone.dispose();
    expect(() => runSync(guarded(gone))).toThrow(/was disposed/);
    await expect(runAsync(guarded(gone))).rejects.toThrow(/was disposed/);
    expect(closed).toEqual(['closed', 'closed']);
  });
});

describe.each(BACKENDS)('the async path on %s computes what the synchronous path computes', (backend) => {
  const { X } = makeSparseCodedSignal({
    nSamples: 300,
    nComponents: 24,
    nFeatures: 12,
    nNonzeroCoefs: 3,
    snr: 20,
    seed: 5,
  });

  it.each([
    ['K-SVD', () => new KSVD({ nComponents: 24, nNonzeroCoefs: 3, maxIter: 6, tol: 0, seed: 1 })],
    ['approximate K-SVD', () => new KSVD({ nComponents: 24, codingTol: 0.05, maxIter: 6, approximate: true, seed: 2 })],
    ['MOD', () => new MOD({ nComponents: 24, nNonzeroCoefs: 3, maxIter: 6, tol: 0, seed: 3 })],
    [
      'online learning',
      () => new OnlineDictionaryLearning({ nComponents: 24, nNonzeroCoefs: 3, batchSize: 64, maxIter: 3, seed: 4 }),
    ],
  ])('%s: fitAsync learns the same atoms, errors and codes as fit', async (_, make) => {
    setBackend(backend);
    const sync = make().fit(X);
    const async = await make().fitAsync(X);
    expect(async.components!.data).toEqual(sync.components!.data);
    expect(async.errorHistory).toEqual(sync.errorHistory);
    expect([async.nIter, async.stopReason]).toEqual([sync.nIter, sync.stopReason]);
    const codes = await async.transformAsync(X);
    expect(await codes.data()).toEqual(sync.transform(X).dataSync());
  });

  it('orthogonalMatchingPursuitAsync gives the codes of orthogonalMatchingPursuit, from Tensor inputs too', async () => {
    setBackend(backend);
    const D = new KSVD({ nComponents: 24, nNonzeroCoefs: 3, maxIter: 2, seed: 1 }).fit(X).components!;
    const want = orthogonalMatchingPursuit(X, D, { nNonzeroCoefs: 3 }).dataSync();
    expect(await (await orthogonalMatchingPursuitAsync(X, D, { nNonzeroCoefs: 3 })).data()).toEqual(want);
    const Xt = tensor(X.data, X.shape);
    const Dt = tensor(D.data, D.shape);
    expect(await (await orthogonalMatchingPursuitAsync(Xt, Dt, { nNonzeroCoefs: 3 })).data()).toEqual(want);
  });

  it('denoiseAsync gives the image, atoms, errors and PSNR of denoise (100×100 boats crop: two chunks of patches)', async () => {
    setBackend(backend);
    const clean = loadBoats({ x: 400, y: 300, width: 100, height: 100 });
    const noisy = addNoise(clean, 20, new Random(3));
    const events: Record<'sync' | 'async', DenoiseProgress[]> = { sync: [], async: [] };
    const options = (log: DenoiseProgress[]): DenoiseOptions => ({
      sigma: 20,
      nComponents: 32,
      maxIter: 3,
      trainingPatches: 1500,
      clean,
      seed: 7,
      onProgress: (e) => void log.push(e),
    });
    const sync = denoise(noisy, options(events.sync));
    const async = await denoiseAsync(noisy, options(events.async));
    expect(async.image.data).toEqual(sync.image.data);
    expect(async.components.data).toEqual(sync.components.data);
    expect(async.errorHistory).toEqual(sync.errorHistory);
    expect([async.psnr, async.noisyPsnr]).toEqual([sync.psnr, sync.noisyPsnr]);
    expect(async.psnr!).toBeGreaterThan(async.noisyPsnr! + 3);
    expect(events.async).toEqual(events.sync);
    expect(events.async.filter((e) => e.stage === 'denoise')).toEqual([
      { stage: 'denoise', done: 8192, total: 93 * 93 },
      { stage: 'denoise', done: 93 * 93, total: 93 * 93 },
    ]);
  });
});

describe('the async path never reads synchronously (the backend refuses synchronous reads, as WebGPU does)', () => {
  /** Runs `body` with synchronous readback switched off on `backend`, counting every synchronous reader. */
  async function withoutSyncReadback(backend: BackendName, body: () => Promise<void>): Promise<number> {
    setBackend(backend);
    const info = getBackend() as { syncReadback: boolean };
    const readers = (['dataSync', 'arraySync', 'itemSync', 'materializeSync'] as const).map((name) =>
      vi.spyOn(Tensor.prototype, name),
    );
    info.syncReadback = false;
    try {
      await body();
      return readers.reduce((n, spy) => n + spy.mock.calls.length, 0);
    } finally {
      info.syncReadback = true;
      for (const spy of readers) spy.mockRestore();
    }
  }

  const { X } = makeSparseCodedSignal({ nSamples: 200, nComponents: 16, nFeatures: 10, nNonzeroCoefs: 2, seed: 6 });
  const img = loadBoats({ x: 200, y: 200, width: 40, height: 40 });
  const small: DenoiseOptions = { sigma: 15, nComponents: 16, maxIter: 2, trainingPatches: 400, seed: 1 };

  it.each(BACKENDS)(
    'on %s: the synchronous forms throw a BackendError, the async ones run without a sync read',
    async (backend) => {
      const reads = await withoutSyncReadback(backend, async () => {
        expect(() => denoise(img, small)).toThrow(BackendError);
        expect(() => new KSVD({ nComponents: 16, nNonzeroCoefs: 2 }).fit(X)).toThrow(/no synchronous readback/);
      });
      expect(reads).toBeGreaterThan(0);
      const want = denoise(img, small);
      const wantKsvd = new KSVD({ nComponents: 16, nNonzeroCoefs: 2, maxIter: 3, seed: 0 }).fit(X);
      const before = memory().liveTensors;
      const asyncReads = await withoutSyncReadback(backend, async () => {
        const got = await denoiseAsync(img, small);
        expect(got.image.data).toEqual(want.image.data);
        // A Tensor X is read with await data() as well.
        const Xt = tensor(X.data, X.shape);
        const ksvd = await new KSVD({ nComponents: 16, nNonzeroCoefs: 2, maxIter: 3, seed: 0 }).fitAsync(Xt);
        expect(ksvd.components!.data).toEqual(wantKsvd.components!.data);
        const codes = await ksvd.transformAsync(Xt);
        expect(codes.shape).toEqual([200, 16]);
        const direct = await orthogonalMatchingPursuitAsync(Xt, ksvd.components!, { nNonzeroCoefs: 2 });
        expect(await direct.data()).toEqual(await codes.data());
        const online = new OnlineDictionaryLearning({ nComponents: 16, nNonzeroCoefs: 2, seed: 0 });
        await online.partialFitAsync(Xt);
        await (await online.fitAsync(X)).transformAsync(X).then((t) => t.dispose());
        for (const t of [Xt, codes, direct]) t.dispose();
      });
      expect(asyncReads).toBe(0);
      expect(memory().liveTensors).toBe(before);
    },
  );
});

describe('denoiseAsync stopped from onProgress', () => {
  it('rejects with the error thrown there and leaves no tensor behind', async () => {
    const img = loadBoats({ x: 600, y: 400, width: 32, height: 32 });
    const before = memory().liveTensors;
    const stop = new Error('stopped');
    await expect(
      denoiseAsync(img, {
        sigma: 10,
        nComponents: 16,
        onProgress: (e) => {
          if (e.stage === 'train' && e.iteration === 2) throw stop;
        },
      }),
    ).rejects.toBe(stop);
    expect(memory().liveTensors).toBe(before);
  });
});
