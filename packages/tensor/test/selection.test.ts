// Automatic backend selection as pure logic, with the probes mocked: the order per host
// (issue 12: in browsers `wasm` right after WebGPU and WebGL2), the first available backend
// wins, what was skipped is named in the reason, and nothing past the winner is probed.
import { afterAll, describe, expect, it } from 'vitest';
import {
  autoOrder,
  type BackendName,
  chooseBackend,
  chooseBackendSync,
  currentHost,
  disposeBackend,
  initBackend,
} from '../src/backend.js';

afterAll(() => disposeBackend());

/** A probe that answers from `why` (missing: available) and records what it was asked. */
function mockProbe(why: Partial<Record<BackendName, string>>) {
  const asked: BackendName[] = [];
  const check = (name: BackendName): string | null => {
    asked.push(name);
    return why[name] ?? null;
  };
  return { asked, check };
}

const ALL_GPU_MISSING = {
  webgpu: 'no WebGPU adapter answered',
  webgl2: 'WebGL2 is not available',
  webgl: 'WebGL is not available',
  headlessgl: 'headless-gl is unavailable',
};

describe('the order auto selection tries', () => {
  it('in a browser: webgpu → webgl2 → wasm → webgl → webasm → cpu', () => {
    expect(autoOrder('browser')).toEqual(['webgpu', 'webgl2', 'wasm', 'webgl', 'webasm', 'cpu']);
  });

  it('in Node: the GPU backends, then wasm → webasm → cpu', () => {
    expect(autoOrder('node')).toEqual(['webgpu', 'webgl2', 'webgl', 'headlessgl', 'wasm', 'webasm', 'cpu']);
    expect(currentHost()).toBe('node');
  });

  it('lists every backend once, ending in cpu, on both hosts', () => {
    for (const host of ['browser', 'node'] as const) {
      const order = autoOrder(host);
      expect(new Set(order).size).toBe(order.length);
      expect(order[order.length - 1]).toBe('cpu');
    }
  });
});

describe('choosing from mocked probes (browser order)', () => {
  const order = autoOrder('browser');

  it('takes WebGPU when an adapter answers, probing nothing else', async () => {
    const p = mockProbe({});
    expect(await chooseBackend(order, p.check, 'best available backend')).toEqual({
      name: 'webgpu',
      reason: 'auto: best available backend',
    });
    expect(p.asked).toEqual(['webgpu']);
  });

  it('takes WebGL2 when WebGPU has no adapter', async () => {
    const p = mockProbe({ webgpu: 'no WebGPU adapter answered' });
    const got = await chooseBackend(order, p.check, 'best available backend');
    expect(got).toEqual({
      name: 'webgl2',
      reason: 'auto: best available backend (skipped webgpu: no WebGPU adapter answered)',
    });
    expect(p.asked).toEqual(['webgpu', 'webgl2']);
  });

  it('takes wasm when neither WebGPU nor WebGL2 is there, before WebGL1', async () => {
    const p = mockProbe({ webgpu: 'no adapter', webgl2: 'no WebGL2' });
    const got = await chooseBackend(order, p.check, 'best available backend');
    expect(got.name).toBe('wasm');
    expect(got.reason).toBe('auto: best available backend (skipped webgpu: no adapter; webgl2: no WebGL2)');
    expect(p.asked).toEqual(['webgpu', 'webgl2', 'wasm']);
  });

  it('goes on to webgl, webasm and cpu as each is missing', async () => {
    const wasm = 'WebAssembly SIMD128 is not supported here';
    expect(
      (await chooseBackend(order, mockProbe({ ...ALL_GPU_MISSING, webgl: undefined, wasm }).check, 'x')).name,
    ).toBe('webgl');
    expect((await chooseBackend(order, mockProbe({ ...ALL_GPU_MISSING, wasm }).check, 'x')).name).toBe('webasm');
    const last = await chooseBackend(order, mockProbe({ ...ALL_GPU_MISSING, wasm, webasm: 'no SIMD' }).check, 'x');
    expect(last.name).toBe('cpu');
    expect(last.reason).toMatch(
      /skipped webgpu: .*; webgl2: .*; wasm: WebAssembly SIMD128 .*; webgl: .*; webasm: no SIMD\)$/,
    );
  });

  it('awaits asynchronous probes in order, one at a time', async () => {
    const log: string[] = [];
    const check = async (name: BackendName): Promise<string | null> => {
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, 1));
      log.push(`end ${name}`);
      return name === 'wasm' ? null : 'missing';
    };
    expect((await chooseBackend(order, check, 'x')).name).toBe('wasm');
    expect(log).toEqual(['start webgpu', 'end webgpu', 'start webgl2', 'end webgl2', 'start wasm', 'end wasm']);
  });

  it('falls back to cpu, saying so, when even cpu answers no', async () => {
    const none = Object.fromEntries(order.map((n) => [n, 'no'])) as Record<BackendName, string>;
    const got = await chooseBackend(order, mockProbe(none).check, 'x');
    expect(got.name).toBe('cpu');
    expect(got.reason).toMatch(/^auto: fallback \(skipped webgpu: no; /);
  });

  it('the synchronous twin chooses the same from the same answers', async () => {
    const answers = [{}, { webgpu: 'a' }, { webgpu: 'a', webgl2: 'b' }, { webgpu: 'a', webgl2: 'b', wasm: 'c' }];
    for (const why of answers) {
      const a = await chooseBackend(order, mockProbe(why).check, 'how');
      expect(chooseBackendSync(order, mockProbe(why).check, 'how')).toEqual(a);
    }
  });
});

describe('initBackend in Node', () => {
  it("'auto' reaches wasm past the missing GPU backends, naming each one skipped", async () => {
    const info = await initBackend('auto');
    expect(info.name).toBe('wasm');
    expect(info.requested).toBe('auto');
    expect(info.reason).toMatch(
      /^auto: best available backend \(skipped webgpu: .*; webgl2: .*; webgl: .*; headlessgl: /,
    );
  });

  it('rejects an unknown name with a BackendError naming initBackend and the choices', async () => {
    await expect(initBackend('metal' as never)).rejects.toThrow(
      /^initBackend: unknown backend 'metal'; expected one of auto, webgpu, webgl2, webgl, headlessgl, wasm, webasm, cpu/,
    );
  });
});
