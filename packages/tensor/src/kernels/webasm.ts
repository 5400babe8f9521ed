/**
 * Kernels webasm (gpu.js's WebAssembly SIMD mode) runs differently from the generic source,
 * by kernel name (see registry.ts). webasm compiles each thread to f32x4 lanes over
 * consecutive `this.thread.x`, keeps declared integer locals in f32 (so indices are written
 * inline from `this.thread.*` and `(k|0)`), and runs branches on every lane: its variants
 * trade the generic one-cell-per-thread loops for unrolled, lane-uniform ones.
 * @internal
 */
import { kernelOp } from '../internal.js';
import type { MatmulParams } from '../matmul.js';
import type { ReduceParams, Reducer } from '../reduce.js';
import type { Tensor } from '../tensor.js';

/**
 * matmul for m and k divisible by 4 (the README has its measured speed-up): each thread
 * computes four rows of one column, returned as an Array(4), with k unrolled by four. The
 * thread's row block (`thread.y`) is uniform across the SIMD lanes, so reads of a are one load
 * and a splat; indices are written from `this.thread.*` and `(k|0)` inline because webasm
 * keeps declared integer locals in f32. The raw [n, m/4]×4 result is laid out row-major on
 * the host.
 */
function matmul4({ a, b, m, n, k, ta, tb, batch, outShape }: MatmulParams): Tensor | null {
  if (batch !== 1 || outShape.length !== 2 || m % 4 !== 0 || k % 4 !== 0 || k === 0) return null;
  const U = 4;
  const aIdx = (r: number, u: number): string =>
    ta
      ? `(k|0) * ${U * m} + ${u * m + r} + this.thread.y * 4`
      : `this.thread.y * ${4 * k} + (k|0) * ${U} + ${r * k + u}`;
  const bIdx = (u: number): string =>
    tb ? `this.thread.x * ${k} + (k|0) * ${U} + ${u}` : `(k|0) * ${U * n} + this.thread.x + ${u * n}`;
  let body = '';
  for (let u = 0; u < U; u++) {
    body += `    const b${u} = a1[${bIdx(u)}];\n`;
    for (let r = 0; r < 4; r++) body += `    s${r} += a0[${aIdx(r, u)}] * b${u};\n`;
  }
  const source = `function(a0, a1) {\n  let s0 = 0.0;\n  let s1 = 0.0;\n  let s2 = 0.0;\n  let s3 = 0.0;\n  for (let k = 0; k < ${k / U}; k++) {\n${body}  }\n  return [s0, s1, s2, s3];\n}`;
  const post = (d: Float32Array): Float32Array => {
    const out = new Float32Array(m * n);
    for (let g = 0; g < m / 4; g++) {
      const o = 4 * g * n;
      const src = g * n * 4;
      for (let j = 0; j < n; j++) {
        const q = src + 4 * j;
        out[o + j] = d[q];
        out[o + n + j] = d[q + 1];
        out[o + 2 * n + j] = d[q + 2];
        out[o + 3 * n + j] = d[q + 3];
      }
    }
    return out;
  };
  return kernelOp([m, n], { source, layout: { key: `mm4:${m}x${n}x${k}`, dims: [n, m / 4], lanes: 4, post } }, [a, b]);
}

/**
 * reduce over contiguous slices (inner = 1), the full reduction included: webasm runs the
 * one-pass source below, whose slices need no second pass.
 */
function contiguousReduce({ x, r, finish, len, inner, outShape }: ReduceParams): Tensor | null {
  if (inner !== 1) return null;
  return kernelOp(outShape, webasmSource(r, len, finish), [x]);
}

const webasmSources = new Map<string, string>();

/**
 * webasm source for contiguous slices (inner = 1): eight independent accumulators break the
 * loop-carried dependency, and indices are written from `this.thread.x` and `(k|0)` inline
 * because webasm keeps declared integer locals in f32. One thread per slice; a full
 * reduction is one slice (the worker pool would not pay for itself at these sizes).
 * Generated once per reducer × length: the string is also the kernel cache's key.
 */
function webasmSource(r: Reducer, len: number, finish: string): string {
  const id = `${r.step}|${r.map ? r.map('v') : ''}|${len}|${finish}`;
  let src = webasmSources.get(id);
  if (src === undefined) {
    src = buildWebasmSource(r, len, finish);
    webasmSources.set(id, src);
  }
  return src;
}

function buildWebasmSource(r: Reducer, len: number, finish: string): string {
  const U = 8;
  const map = r.map ?? ((v: string) => v);
  const rename = (code: string, u: number | string): string =>
    code.replace(/\bacc\b/g, `acc${u}`).replace(/\bv\b/g, `v${u}`);
  const at = (offset: string): string => map(`a0[this.thread.x * ${len} + ${offset}]`);
  const lines: string[] = [];
  const blocks = Math.floor(len / U);
  const lanes = blocks > 0 ? U : 1;
  for (let u = 0; u < lanes; u++) {
    lines.push(`let v${u} = ${at(String(u))};`, `let acc${u} = ${rename(r.init, u)};`);
  }
  if (blocks > 1) {
    lines.push(`for (let k = 1; k < ${blocks}; k++) {`);
    for (let u = 0; u < U; u++) lines.push(`  v${u} = ${at(`(k|0) * ${U} + ${u}`)};`, `  ${rename(r.step, u)}`);
    lines.push('}');
  }
  for (let q = lanes === 1 ? 1 : blocks * U; q < len; q++) lines.push(`v0 = ${at(String(q))};`, rename(r.step, 0));
  for (let u = 1; u < lanes; u++) lines.push(`v0 = acc${u};`, rename(r.step, 0));
  lines.push(`const acc = acc0;`, `return ${finish};`);
  return `function(a0) {\n  ${lines.join('\n  ')}\n}`;
}

/** webasm's variants, by kernel name. @internal */
export const webasmKernels = {
  matmul: matmul4,
  reduce: contiguousReduce,
};
