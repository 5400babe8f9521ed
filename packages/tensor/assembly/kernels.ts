// SIMD128 kernels of the `wasm` backend. Every pointer is a byte offset into the one memory
// the host owns (imported as env.memory); the host allocates, these only compute. Every
// kernel takes the slice of work [start, end) it must do, so the host can split one call
// over threads: each output cell is computed by the same instruction sequence whatever the
// split, so results are identical for any thread count.
//
// Lessons measured before this file was written (issue 12): V8 keeps about 15 xmm registers
// for wasm, so the matmul micro-kernel holds 8 accumulators and is not unrolled further;
// f32x4.min/max/nearest/trunc_sat lower to long instruction sequences on x64, so NaN-safe
// selects are built from compares and bitselect, and rounding uses the 1.5·2²³ magic number.

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

// Fused multiply-add where the build has relaxed SIMD (`--enable relaxed-simd`), otherwise a
// separately rounded multiply and add. The choice is made at compile time; the host picks the
// module by validating a probe.
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// @ts-ignore: decorator
@inline function fsplat(x: f32): v128 {
  return f32x4.splat(x);
}

// (a & mask) | (b & ~mask)
// @ts-ignore: decorator
@inline function select4(a: v128, b: v128, mask: v128): v128 {
  return v128.bitselect(a, b, mask);
}

// @ts-ignore: decorator
@inline function isNaN4(x: v128): v128 {
  return f32x4.ne(x, x);
}

const MAGIC: f32 = 12582912.0; // 1.5·2²³: x + MAGIC − MAGIC rounds x to the nearest integer
const MAGIC_BITS: i32 = 0x4b400000;

// e^x over the whole float32 range, as XNNPACK's rr2-p5 (see vexpNonPositive below for the
// polynomial): n = round(x·log₂e) by the 1.5·2²³ magic number, t = x − n·ln2 in two parts, a
// degree-5 minimax polynomial, and 2ⁿ as two factors 2^⌊n/2⌋·2^⌈n/2⌉ so n = 128 and n = −126
// stay representable. 0 below −87.33654, +Inf above 88.72283, NaN passes through (it reaches
// every lane of the arithmetic, and both comparisons are false for it).
// @ts-ignore: decorator
@inline function vexp(x: v128): v128 {
  // pmax/pmin are single instructions and keep a NaN x
  const xc = f32x4.pmin(f32x4.pmax(x, fsplat(-87.33654)), fsplat(88.72283));
  const magic = fsplat(MAGIC);
  let n = madd(xc, fsplat(1.4426950216293335), magic);
  const ni = i32x4.sub(n, i32x4.splat(MAGIC_BITS));
  n = f32x4.sub(n, magic);
  let t = madd(n, fsplat(-0.693145751953125), xc);
  t = madd(n, fsplat(-1.428606765330187e-6), t);
  let p = madd(fsplat(0.008289290592074394), t, fsplat(0.04189782217144966));
  p = madd(p, t, fsplat(0.16667652130126953));
  p = madd(p, t, fsplat(0.4999915063381195));
  p = madd(p, t, fsplat(0.9999997019767761));
  const h = i32x4.shr_s(ni, 1);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(h, bias), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, h), bias), 23);
  const e = f32x4.mul(madd(f32x4.mul(t, s1), p, s1), s2);
  const out = v128.andnot(e, f32x4.lt(x, fsplat(-87.33654)));
  return select4(fsplat(Infinity), out, f32x4.gt(x, fsplat(88.72283)));
}

// e^d for d ≤ 0 that is not NaN (softmax's x − max), as XNNPACK's rr2-p5: n = round(d·log₂e)
// by a magic bias that also carries the exponent bias (so n's bits shifted left by 23 are 2ⁿ),
// t = d − n·ln2 in two parts, and a degree-5 minimax polynomial: e^d = 2ⁿ + (t·2ⁿ)·p(t),
// within 1.9e-7 relative on [−87.34, 0] (checked against Math.exp over 2·10⁶ points); 0 below.
// About 13 SIMD instructions a vector with FMA, against 19 for vexp's degree-7 form.
// @ts-ignore: decorator
@inline function vexpNonPositive(d: v128): v128 {
  const magic = fsplat(12583039.0); // 0x1.8000FEp23: 1.5·2²³ + 127
  let n = madd(d, fsplat(1.4426950216293335), magic);
  const s = i32x4.shl(n, 23);
  n = f32x4.sub(n, magic);
  let t = madd(n, fsplat(-0.693145751953125), d);
  t = madd(n, fsplat(-1.428606765330187e-6), t);
  let p = madd(fsplat(0.008289290592074394), t, fsplat(0.04189782217144966));
  p = madd(p, t, fsplat(0.16667652130126953));
  p = madd(p, t, fsplat(0.4999915063381195));
  p = madd(p, t, fsplat(0.9999997019767761));
  t = f32x4.mul(t, s);
  return v128.andnot(madd(t, p, s), f32x4.lt(d, fsplat(-87.33654022216797)));
}

// ---------------------------------------------------------------------------------------
// Matrix multiply: C[b] = op(A[b]) · op(B[b]), op = transpose or not.
// Goto/BLIS blocking: a KC×NC panel of B and an MC×KC block of A are packed into the
// caller's workspace (zero-padded to whole 4-row / 8-column strips), and a 4×8 micro-kernel
// keeps its tile of C in 8 registers. Each C cell sums its products in ascending k inside a
// KC block and adds the blocks in ascending order, whatever rows a thread was given.
// A is packed pre-broadcast: each value stored as four equal lanes, so the micro-kernel reads
// it with plain v128 loads whose offsets V8 folds into the address, where load32_splat
// needed an address add per row (measured 36 → 39–40 GFLOP/s at 256–1024 on one thread;
// unrolling the k loop instead lost 20%, and splatting by shuffle gained only 6%). MC = 64
// keeps that 4× larger A block (256 KiB) in L2.
// ---------------------------------------------------------------------------------------

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 64;
const NC: i32 = 1024;

/** Bytes of workspace one thread needs for {@link matmul}. */
export function matmulWorkspaceBytes(): i32 {
  return (KC * NC + MC * KC * 4 + MR * NR) * 4;
}

// @ts-ignore: decorator
@inline function packA(a: usize, pa: usize, m: i32, k: i32, ta: i32, i0: i32, mc: i32, p0: i32, kc: i32): void {
  for (let s = 0; s < mc; s += MR) {
    const rows = min(MR, mc - s);
    const dst = pa + (<usize>(s * kc) << 4);
    if (ta != 0) {
      // A stored k×m: the 4 rows of a strip are contiguous at each p
      for (let p = 0; p < kc; p++) {
        const src = a + (<usize>((p0 + p) * m + i0 + s) << 2);
        const d = dst + (<usize>(p * MR) << 4);
        if (rows == MR) {
          const v = v128.load(src);
          v128.store(d, i32x4.shuffle(v, v, 0, 0, 0, 0));
          v128.store(d, i32x4.shuffle(v, v, 1, 1, 1, 1), 16);
          v128.store(d, i32x4.shuffle(v, v, 2, 2, 2, 2), 32);
          v128.store(d, i32x4.shuffle(v, v, 3, 3, 3, 3), 48);
        } else {
          for (let r = 0; r < MR; r++) v128.store(d + (<usize>r << 4), r < rows ? v128.load32_splat(src + (<usize>r << 2)) : f32x4.splat(0));
        }
      }
    } else {
      for (let r = 0; r < MR; r++) {
        const d = dst + (<usize>r << 4);
        if (r < rows) {
          const src = a + (<usize>((i0 + s + r) * k + p0) << 2);
          for (let p = 0; p < kc; p++) v128.store(d + (<usize>(p * MR) << 4), v128.load32_splat(src + (<usize>p << 2)));
        } else {
          for (let p = 0; p < kc; p++) v128.store(d + (<usize>(p * MR) << 4), f32x4.splat(0));
        }
      }
    }
  }
}

// @ts-ignore: decorator
@inline function packB(b: usize, pb: usize, n: i32, k: i32, tb: i32, j0: i32, nc: i32, p0: i32, kc: i32): void {
  for (let t = 0; t < nc; t += NR) {
    const cols = min(NR, nc - t);
    const dst = pb + (<usize>(t * kc) << 2);
    if (tb == 0) {
      // B stored k×n: the 8 columns of a strip are contiguous at each p
      for (let p = 0; p < kc; p++) {
        const src = b + (<usize>((p0 + p) * n + j0 + t) << 2);
        const d = dst + (<usize>(p * NR) << 2);
        if (cols == NR) {
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
        } else {
          for (let q = 0; q < NR; q++) store<f32>(d + (<usize>q << 2), q < cols ? load<f32>(src + (<usize>q << 2)) : 0);
        }
      }
    } else {
      for (let q = 0; q < NR; q++) {
        if (q < cols) {
          const src = b + (<usize>((j0 + t + q) * k + p0) << 2);
          for (let p = 0; p < kc; p++) store<f32>(dst + (<usize>(p * NR + q) << 2), load<f32>(src + (<usize>p << 2)));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(dst + (<usize>(p * NR + q) << 2), 0);
        }
      }
    }
  }
}

// One MR×NR tile of C from packed strips (A's pre-broadcast: 64 bytes per k); `acc` adds to
// what C holds (later KC blocks). Inlined into matmul: the call's argument passing and
// prologue cost 6% of a 128 product (kc = 128), 2% from 256 up.
// @ts-ignore: decorator
@inline function microKernel(pa: usize, pb: usize, kc: i32, c: usize, ldc: i32, acc: bool, rows: i32, cols: i32, edge: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load(pa, 16);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load(pa, 32);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load(pa, 48);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += 64;
    pb += 32;
  }
  const ld = <usize>ldc << 2;
  if (rows == MR && cols == NR) {
    if (acc) {
      c00 = f32x4.add(v128.load(c), c00); c01 = f32x4.add(v128.load(c, 16), c01);
      c10 = f32x4.add(v128.load(c + ld), c10); c11 = f32x4.add(v128.load(c + ld, 16), c11);
      c20 = f32x4.add(v128.load(c + 2 * ld), c20); c21 = f32x4.add(v128.load(c + 2 * ld, 16), c21);
      c30 = f32x4.add(v128.load(c + 3 * ld), c30); c31 = f32x4.add(v128.load(c + 3 * ld, 16), c31);
    }
    v128.store(c, c00); v128.store(c, c01, 16);
    v128.store(c + ld, c10); v128.store(c + ld, c11, 16);
    v128.store(c + 2 * ld, c20); v128.store(c + 2 * ld, c21, 16);
    v128.store(c + 3 * ld, c30); v128.store(c + 3 * ld, c31, 16);
    return;
  }
  // edge tile: spill the registers, write only the cells inside C (same sums, same order)
  v128.store(edge, c00); v128.store(edge, c01, 16);
  v128.store(edge, c10, 32); v128.store(edge, c11, 48);
  v128.store(edge, c20, 64); v128.store(edge, c21, 80);
  v128.store(edge, c30, 96); v128.store(edge, c31, 112);
  for (let r = 0; r < rows; r++) {
    const dst = c + <usize>r * ld;
    const src = edge + (<usize>(r * NR) << 2);
    for (let q = 0; q < cols; q++) {
      const v = load<f32>(src + (<usize>q << 2));
      const d = dst + (<usize>q << 2);
      store<f32>(d, acc ? load<f32>(d) + v : v);
    }
  }
}

/**
 * C = op(A)·op(B) for `batch` products; A is m×k (stored k×m when ta), B is k×n (stored n×k
 * when tb), C is m×n row-major. Batch strides are in elements (0 shares a 2-D operand).
 * This call computes the global rows [start, end) of the batch·m rows of C.
 */
export function matmul(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, ta: i32, tb: i32,
  batch: i32, strideA: i32, strideB: i32, start: i32, end: i32, ws: usize,
): void {
  const pb = ws;
  const pa = ws + (<usize>(KC * NC) << 2);
  const edge = pa + (<usize>(MC * KC) << 4);
  if (m == 0 || n == 0) return;
  for (let bi = start / m; bi < batch && bi * m < end; bi++) {
    const rs = max(start - bi * m, 0);
    const re = min(end - bi * m, m);
    if (rs >= re) continue;
    const ab = a + (<usize>(bi * strideA) << 2);
    const bb = b + (<usize>(bi * strideB) << 2);
    const cb = c + (<usize>(bi * m * n) << 2);
    if (k == 0) {
      memory.fill(cb + (<usize>(rs * n) << 2), 0, <usize>((re - rs) * n) << 2);
      continue;
    }
    for (let j0 = 0; j0 < n; j0 += NC) {
      const nc = min(NC, n - j0);
      for (let p0 = 0; p0 < k; p0 += KC) {
        const kc = min(KC, k - p0);
        packB(bb, pb, n, k, tb, j0, nc, p0, kc);
        for (let i0 = rs; i0 < re; i0 += MC) {
          const mc = min(MC, re - i0);
          packA(ab, pa, m, k, ta, i0, mc, p0, kc);
          for (let t = 0; t < nc; t += NR) {
            const cols = min(NR, nc - t);
            const bs = pb + (<usize>(t * kc) << 2);
            for (let s = 0; s < mc; s += MR) {
              const rows = min(MR, mc - s);
              const cp = cb + (<usize>((i0 + s) * n + j0 + t) << 2);
              microKernel(pa + (<usize>(s * kc) << 4), bs, kc, cp, n, p0 > 0, rows, cols, edge);
            }
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Sparse × dense: C = A·B with A in CSR ([m, k]: values, column indices and row pointers,
// the indices stored as float32, exact below 2²⁴) and B dense row-major [k, n]. Each output
// row is the sum, over its row's stored entries in ascending order, of value · B's row: a
// SIMD axpy over n, with the row's accumulators held in registers across the entries for a
// block of 32, then 4, columns (8 accumulators: V8 keeps about 15 xmm registers), and the edge columns (n mod 4) done one at a time. Every cell
// sums the same products in the same order whatever rows a call is given.
// ---------------------------------------------------------------------------------------

/** This call computes the rows [start, end) of C (m×n); an empty row is zeros. */
export function spmm(vals: usize, cols: usize, ptr: usize, b: usize, c: usize, n: i32, start: i32, end: i32): void {
  const ldb = <usize>n << 2;
  for (let r = start; r < end; r++) {
    const q0 = <i32>load<f32>(ptr + (<usize>r << 2));
    const q1 = <i32>load<f32>(ptr + (<usize>(r + 1) << 2));
    const dst = c + <usize>r * ldb;
    let j = 0;
    for (; j + 32 <= n; j += 32) {
      let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
      const off = <usize>j << 2;
      for (let q = q0; q < q1; q++) {
        const v = v128.load32_splat(vals + (<usize>q << 2));
        const src = b + <usize>(<i32>load<f32>(cols + (<usize>q << 2))) * ldb + off;
        c0 = madd(v, v128.load(src), c0);
        c1 = madd(v, v128.load(src, 16), c1);
        c2 = madd(v, v128.load(src, 32), c2);
        c3 = madd(v, v128.load(src, 48), c3);
        c4 = madd(v, v128.load(src, 64), c4);
        c5 = madd(v, v128.load(src, 80), c5);
        c6 = madd(v, v128.load(src, 96), c6);
        c7 = madd(v, v128.load(src, 112), c7);
      }
      const d = dst + off;
      v128.store(d, c0);
      v128.store(d, c1, 16);
      v128.store(d, c2, 32);
      v128.store(d, c3, 48);
      v128.store(d, c4, 64);
      v128.store(d, c5, 80);
      v128.store(d, c6, 96);
      v128.store(d, c7, 112);
    }
    for (; j + 4 <= n; j += 4) {
      let c0 = f32x4.splat(0);
      const off = <usize>j << 2;
      for (let q = q0; q < q1; q++) {
        const v = v128.load32_splat(vals + (<usize>q << 2));
        const src = b + <usize>(<i32>load<f32>(cols + (<usize>q << 2))) * ldb + off;
        c0 = madd(v, v128.load(src), c0);
      }
      v128.store(dst + off, c0);
    }
    // edge columns: the same madd on one lane, so they round as the SIMD lanes do
    for (; j < n; j++) {
      let c0 = f32x4.splat(0);
      const off = <usize>j << 2;
      for (let q = q0; q < q1; q++) {
        const v = v128.load32_splat(vals + (<usize>q << 2));
        const src = b + <usize>(<i32>load<f32>(cols + (<usize>q << 2))) * ldb + off;
        c0 = madd(v, v128.load32_zero(src), c0);
      }
      store<f32>(dst + off, f32x4.extract_lane(c0, 0));
    }
  }
}

// ---------------------------------------------------------------------------------------
// Elementwise, binary with broadcasting. The output is viewed as 4-D [d0, d1, d2, d3]; each
// operand has an element stride per dimension (0 where it is broadcast) and an inner stride
// of 0 or 1. This call computes the flat output cells [start, end).
// ---------------------------------------------------------------------------------------

export const OP_ADD = 0;
export const OP_SUB = 1;
export const OP_MUL = 2;
export const OP_DIV = 3;
export const OP_MAXIMUM = 4;
export const OP_MINIMUM = 5;
export const OP_EQUAL = 6;
export const OP_NOT_EQUAL = 7;
export const OP_GREATER = 8;
export const OP_GREATER_EQUAL = 9;
export const OP_LESS = 10;
export const OP_LESS_EQUAL = 11;
export const OP_SOFT_THRESHOLD = 12;
export const OP_HARD_THRESHOLD = 13;

// @ts-ignore: decorator
@inline function bin4(op: i32, a: v128, b: v128): v128 {
  const one = fsplat(1.0);
  switch (op) {
    case OP_ADD: return f32x4.add(a, b);
    case OP_SUB: return f32x4.sub(a, b);
    case OP_MUL: return f32x4.mul(a, b);
    case OP_DIV: return f32x4.div(a, b);
    // wasm's f32x4.max/min return NaN when either lane is NaN, as maximum/minimum must
    case OP_MAXIMUM: return f32x4.max(a, b);
    case OP_MINIMUM: return f32x4.min(a, b);
    case OP_EQUAL: return v128.and(f32x4.eq(a, b), one);
    case OP_NOT_EQUAL: return v128.and(f32x4.ne(a, b), one);
    case OP_GREATER: return v128.and(f32x4.gt(a, b), one);
    case OP_GREATER_EQUAL: return v128.and(f32x4.ge(a, b), one);
    case OP_LESS: return v128.and(f32x4.lt(a, b), one);
    case OP_LESS_EQUAL: return v128.and(f32x4.le(a, b), one);
    case OP_SOFT_THRESHOLD: {
      // sign(a)·(|a| − t) where |a| > t = max(b, 0), else 0, as the gpu.js kernel reads it (a
      // NaN or infinite threshold gives 0); a NaN stays NaN
      const t = f32x4.pmax(b, fsplat(0.0));
      const abs = f32x4.abs(a);
      const r = v128.and(f32x4.sub(abs, t), f32x4.gt(abs, t));
      return select4(a, select4(a, r, fsplat(-0.0)), isNaN4(a));
    }
    case OP_HARD_THRESHOLD: {
      const keep = v128.or(f32x4.gt(f32x4.abs(a), b), isNaN4(a));
      return v128.and(a, keep);
    }
    default: return f32x4.splat(NaN);
  }
}

// @ts-ignore: decorator
@inline function bin1(op: i32, a: f32, b: f32): f32 {
  return f32x4.extract_lane(bin4(op, f32x4.splat(a), f32x4.splat(b)), 0);
}

// One contiguous run of `len` output cells; `ia`/`ib` are 1 (contiguous) or 0 (broadcast).
// @ts-ignore: decorator
@inline function binRun(op: i32, pa: usize, pb: usize, po: usize, len: i32, ia: i32, ib: i32): void {
  let i = 0;
  if (ia != 0 && ib != 0) {
    for (; i + 4 <= len; i += 4) {
      const o = <usize>i << 2;
      v128.store(po + o, bin4(op, v128.load(pa + o), v128.load(pb + o)));
    }
    for (; i < len; i++) {
      const o = <usize>i << 2;
      store<f32>(po + o, bin1(op, load<f32>(pa + o), load<f32>(pb + o)));
    }
  } else if (ia != 0) {
    const vb = v128.load32_splat(pb);
    for (; i + 4 <= len; i += 4) {
      const o = <usize>i << 2;
      v128.store(po + o, bin4(op, v128.load(pa + o), vb));
    }
    const sb = load<f32>(pb);
    for (; i < len; i++) {
      const o = <usize>i << 2;
      store<f32>(po + o, bin1(op, load<f32>(pa + o), sb));
    }
  } else if (ib != 0) {
    const va = v128.load32_splat(pa);
    for (; i + 4 <= len; i += 4) {
      const o = <usize>i << 2;
      v128.store(po + o, bin4(op, va, v128.load(pb + o)));
    }
    const sa = load<f32>(pa);
    for (; i < len; i++) {
      const o = <usize>i << 2;
      store<f32>(po + o, bin1(op, sa, load<f32>(pb + o)));
    }
  } else {
    const v = bin4(op, v128.load32_splat(pa), v128.load32_splat(pb));
    for (; i + 4 <= len; i += 4) v128.store(po + (<usize>i << 2), v);
    const s = f32x4.extract_lane(v, 0);
    for (; i < len; i++) store<f32>(po + (<usize>i << 2), s);
  }
}

// @ts-ignore: decorator
@inline function binWalk(
  op: i32, a: usize, b: usize, out: usize, start: i32, end: i32, d1: i32, d2: i32, d3: i32,
  sa0: i32, sa1: i32, sa2: i32, sa3: i32, sb0: i32, sb1: i32, sb2: i32, sb3: i32,
): void {
  if (start >= end || d3 == 0) return;
  // coordinates of `start`, once; then an odometer over runs of the inner dimension
  let i3 = start % d3;
  let q = start / d3;
  let i2 = q % d2;
  q /= d2;
  let i1 = q % d1;
  let i0 = q / d1;
  let idx = start;
  while (idx < end) {
    const len = min(d3 - i3, end - idx);
    const offA = i0 * sa0 + i1 * sa1 + i2 * sa2 + i3 * sa3;
    const offB = i0 * sb0 + i1 * sb1 + i2 * sb2 + i3 * sb3;
    binRun(op, a + (<usize>offA << 2), b + (<usize>offB << 2), out + (<usize>idx << 2), len, sa3, sb3);
    idx += len;
    i3 = 0;
    if (++i2 == d2) {
      i2 = 0;
      if (++i1 == d1) {
        i1 = 0;
        i0++;
      }
    }
  }
}

/** out = a ∘ b under broadcasting, for the flat output cells [start, end). */
export function binary(
  op: i32, a: usize, b: usize, out: usize, start: i32, end: i32, d1: i32, d2: i32, d3: i32,
  sa0: i32, sa1: i32, sa2: i32, sa3: i32, sb0: i32, sb1: i32, sb2: i32, sb3: i32,
): void {
  switch (op) {
    case OP_ADD: binWalk(OP_ADD, a, b, out, start, end, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3); break;
    case OP_SUB: binWalk(OP_SUB, a, b, out, start, end, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3); break;
    case OP_MUL: binWalk(OP_MUL, a, b, out, start, end, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3); break;
    case OP_DIV: binWalk(OP_DIV, a, b, out, start, end, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3); break;
    case OP_MAXIMUM: binWalk(OP_MAXIMUM, a, b, out, start, end, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3); break;
    case OP_MINIMUM: binWalk(OP_MINIMUM, a, b, out, start, end, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3); break;
    case OP_EQUAL: binWalk(OP_EQUAL, a, b, out, start, end, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3); break;
    case OP_NOT_EQUAL: binWalk(OP_NOT_EQUAL, a, b, out, start, end, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3); break;
    case OP_GREATER: binWalk(OP_GREATER, a, b, out, start, end, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3); break;
    case OP_GREATER_EQUAL: binWalk(OP_GREATER_EQUAL, a, b, out, start, end, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3); break;
    case OP_LESS: binWalk(OP_LESS, a, b, out, start, end, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3); break;
    case OP_LESS_EQUAL: binWalk(OP_LESS_EQUAL, a, b, out, start, end, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3); break;
    case OP_SOFT_THRESHOLD: binWalk(OP_SOFT_THRESHOLD, a, b, out, start, end, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3); break;
    case OP_HARD_THRESHOLD: binWalk(OP_HARD_THRESHOLD, a, b, out, start, end, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3); break;
  }
}

// ---------------------------------------------------------------------------------------
// Elementwise, unary over contiguous cells [start, end).
// ---------------------------------------------------------------------------------------

export const UOP_NEG = 0;
export const UOP_ABS = 1;
export const UOP_SQRT = 2;
export const UOP_SQUARE = 3;
export const UOP_RELU = 4;
export const UOP_LEAKY_RELU = 5;
export const UOP_EXP = 6;
export const UOP_SIGMOID = 7;
export const UOP_SIGN = 8;

// @ts-ignore: decorator
@inline function un4(op: i32, x: v128): v128 {
  switch (op) {
    case UOP_NEG: return f32x4.neg(x);
    case UOP_ABS: return f32x4.abs(x);
    case UOP_SQRT: return f32x4.sqrt(x);
    case UOP_SQUARE: return f32x4.mul(x, x);
    // x < 0 ? 0 : x, keeping NaN (a max(x, 0) would drop it)
    case UOP_RELU: return v128.andnot(x, f32x4.lt(x, fsplat(0.0)));
    case UOP_LEAKY_RELU: return select4(f32x4.mul(x, fsplat(0.01)), x, f32x4.lt(x, fsplat(0.0)));
    case UOP_EXP: return vexp(x);
    case UOP_SIGMOID: return f32x4.div(fsplat(1.0), f32x4.add(fsplat(1.0), vexp(f32x4.neg(x))));
    case UOP_SIGN: {
      const pos = v128.and(f32x4.gt(x, fsplat(0.0)), fsplat(1.0));
      const neg = v128.and(f32x4.lt(x, fsplat(0.0)), fsplat(-1.0));
      // ±0 and NaN map to themselves
      return select4(x, v128.or(pos, neg), v128.or(f32x4.eq(x, fsplat(0.0)), isNaN4(x)));
    }
    default: return f32x4.splat(NaN);
  }
}

// @ts-ignore: decorator
@inline function unRun(op: i32, x: usize, out: usize, start: i32, end: i32): void {
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, un4(op, v128.load(x + o)));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, f32x4.extract_lane(un4(op, f32x4.splat(load<f32>(x + o))), 0));
  }
}

/** out = f(x) for the cells [start, end). */
export function unary(op: i32, x: usize, out: usize, start: i32, end: i32): void {
  switch (op) {
    case UOP_NEG: unRun(UOP_NEG, x, out, start, end); break;
    case UOP_ABS: unRun(UOP_ABS, x, out, start, end); break;
    case UOP_SQRT: unRun(UOP_SQRT, x, out, start, end); break;
    case UOP_SQUARE: unRun(UOP_SQUARE, x, out, start, end); break;
    case UOP_RELU: unRun(UOP_RELU, x, out, start, end); break;
    case UOP_LEAKY_RELU: unRun(UOP_LEAKY_RELU, x, out, start, end); break;
    case UOP_EXP: unRun(UOP_EXP, x, out, start, end); break;
    case UOP_SIGMOID: unRun(UOP_SIGMOID, x, out, start, end); break;
    case UOP_SIGN: unRun(UOP_SIGN, x, out, start, end); break;
    case UOP_PROGRAM: runProgram(x, <i32>out, start, end); break;
  }
}

// ---------------------------------------------------------------------------------------
// Fused elementwise programs. The host (src/kernels/wasm-fusion.ts) compiles an elementwise
// chain of the lazy graph into a small register program; it runs here PBLOCK output cells at
// a time, each instruction one SIMD loop over the block. Registers are PBLOCK floats each in
// the running thread's scratch (they stay in L1), so a chain reads its inputs once and writes
// its output once, whatever its length. An operand is a register, an input read in place
// (a tensor of the output's shape), an immediate (16 bytes holding its value four times,
// read with stride 0), or the output. An input broadcast along some dimension is gathered
// into a register per block (I_LOAD). A block that is not a whole number of 16-cell groups runs
// on copies in scratch and copies its cells out, so no instruction touches memory past a
// tensor's end; every cell is computed by the same instructions on the same lane values
// whatever the split, so results do not depend on the thread count.
//
// It is reached through unary(UOP_PROGRAM, program, participant, start, end), so the worker
// pool runs it as any unary call; participant k (the caller is 0) uses the k-th scratch.
// Layout of a program (i32 words; the host writes it, src/kernels/wasm-fusion.ts mirrors these):
//   header   [instructions, inputs, scratch base, scratch bytes per thread, output, registers,
//             participants, immediates base]
//   inputs   PLEAF_WORDS each: [pointer, kind (0 in place, 1 gathered), d0, d1, d2, d3, s0, s1, s2, s3, register, 0]
//   code     PINSTR_WORDS each: [opcode, destination, a, b, c, 0, 0, 0]; operand = kind << 24 | index
// ---------------------------------------------------------------------------------------

export const UOP_PROGRAM = 100;
const PBLOCK: i32 = 512;
const PH_LEAVES: i32 = 8;
const PLEAF_WORDS: i32 = 12;
const PINSTR_WORDS: i32 = 8;

const K_REG: u32 = 0;
const K_LEAF: u32 = 1;
const K_IMM: u32 = 2;

// opcodes: unary 0–19, binary 20–39, select 40, gather 50
const I_MOV = 0;
const I_NEG = 1;
const I_ABS = 2;
const I_SQRT = 3;
const I_FLOOR = 4;
const I_CEIL = 5;
const I_EXP = 6;
const I_LOG = 7;
const I_TANH = 8;
const I_NOT = 9;
const I_B2F = 10;
const I_TRUTHY = 11;
const I_ADD = 20;
const I_SUB = 21;
const I_MUL = 22;
const I_DIV = 23;
const I_LT = 24;
const I_GT = 25;
const I_LE = 26;
const I_GE = 27;
const I_EQ = 28;
const I_NE = 29;
const I_AND = 30;
const I_OR = 31;
const I_MAX = 32;
const I_MIN = 33;
const I_POW = 34;
const I_SELECT = 40;
const I_LOAD = 50;

// ln x, Cephes' logf (S. L. Moshier): x = m·2ᵉ with m in [√½, √2), ln(1 + (m − 1)) by a
// degree-9 polynomial, e·ln2 added in two parts. Subnormals are scaled by 2²³ first;
// ln 0 = −Inf, ln(x < 0) = NaN, ln(+Inf) = +Inf, NaN passes through.
// @ts-ignore: decorator
@inline function vlog(x: v128): v128 {
  const sub = f32x4.lt(x, fsplat(1.17549435e-38));
  const xs = select4(f32x4.mul(x, fsplat(8388608.0)), x, sub);
  let e = i32x4.sub(i32x4.shr_u(xs, 23), i32x4.splat(126));
  e = i32x4.sub(e, v128.and(sub, i32x4.splat(23)));
  let m = v128.or(v128.and(xs, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  const small = f32x4.lt(m, fsplat(0.70710678118654752));
  e = i32x4.add(e, small);
  m = f32x4.sub(f32x4.add(m, v128.and(m, small)), fsplat(1.0));
  const fe = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(m, m);
  let y = fsplat(7.0376836292e-2);
  y = madd(y, m, fsplat(-1.1514610310e-1));
  y = madd(y, m, fsplat(1.1676998740e-1));
  y = madd(y, m, fsplat(-1.2420140846e-1));
  y = madd(y, m, fsplat(1.4249322787e-1));
  y = madd(y, m, fsplat(-1.6668057665e-1));
  y = madd(y, m, fsplat(2.0000714765e-1));
  y = madd(y, m, fsplat(-2.4999993993e-1));
  y = madd(y, m, fsplat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, m), z);
  y = f32x4.add(y, f32x4.mul(fe, fsplat(-2.12194440e-4)));
  y = f32x4.sub(y, f32x4.mul(z, fsplat(0.5)));
  let r = f32x4.add(f32x4.add(m, y), f32x4.mul(fe, fsplat(0.693359375)));
  r = select4(fsplat(Infinity), r, f32x4.eq(x, fsplat(Infinity)));
  r = select4(fsplat(-Infinity), r, f32x4.eq(x, fsplat(0.0)));
  r = select4(fsplat(NaN), r, f32x4.lt(x, fsplat(0.0)));
  return select4(x, r, isNaN4(x));
}

// tanh x, Cephes' tanhf: x + x³·P(x²) for |x| ≤ 0.625, else ±(1 − 2/(e^{2|x|} + 1)).
// @ts-ignore: decorator
@inline function vtanh(x: v128): v128 {
  const z = f32x4.abs(x);
  const big = v128.or(
    f32x4.sub(fsplat(1.0), f32x4.div(fsplat(2.0), f32x4.add(vexp(f32x4.add(z, z)), fsplat(1.0)))),
    v128.and(x, i32x4.splat(0x80000000)),
  );
  const s = f32x4.mul(x, x);
  let p = fsplat(-5.70498872745e-3);
  p = madd(p, s, fsplat(2.06390887954e-2));
  p = madd(p, s, fsplat(-5.37397155531e-2));
  p = madd(p, s, fsplat(1.33314422036e-1));
  p = madd(p, s, fsplat(-3.33332819422e-1));
  const near = f32x4.add(f32x4.mul(f32x4.mul(p, s), x), x);
  // NaN: the polynomial branch keeps it (z > 0.625 is false)
  return select4(big, near, f32x4.gt(z, fsplat(0.625)));
}

// @ts-ignore: decorator
@inline function pun(op: i32, x: v128): v128 {
  switch (op) {
    case I_MOV: return x;
    case I_NEG: return f32x4.neg(x);
    case I_ABS: return f32x4.abs(x);
    case I_SQRT: return f32x4.sqrt(x);
    case I_FLOOR: return f32x4.floor(x);
    case I_CEIL: return f32x4.ceil(x);
    case I_EXP: return vexp(x);
    case I_LOG: return vlog(x);
    case I_TANH: return vtanh(x);
    case I_NOT: return v128.not(x);
    case I_B2F: return v128.and(x, fsplat(1.0));
    // JavaScript truthiness of a number: neither 0 nor NaN
    case I_TRUTHY: return v128.and(f32x4.ne(x, fsplat(0.0)), f32x4.eq(x, x));
    default: return f32x4.splat(NaN);
  }
}

// @ts-ignore: decorator
@inline function pbin(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case I_ADD: return f32x4.add(a, b);
    case I_SUB: return f32x4.sub(a, b);
    case I_MUL: return f32x4.mul(a, b);
    case I_DIV: return f32x4.div(a, b);
    case I_LT: return f32x4.lt(a, b);
    case I_GT: return f32x4.gt(a, b);
    case I_LE: return f32x4.le(a, b);
    case I_GE: return f32x4.ge(a, b);
    case I_EQ: return f32x4.eq(a, b);
    case I_NE: return f32x4.ne(a, b);
    case I_AND: return v128.and(a, b);
    case I_OR: return v128.or(a, b);
    // Math.max / Math.min: NaN if either is NaN, −0 < +0, as wasm's f32x4.max / min
    case I_MAX: return f32x4.max(a, b);
    case I_MIN: return f32x4.min(a, b);
    // aᵇ for a, b ≥ 0 (the compiler emits it only for Math.pow(Math.abs(·), Math.abs(·))):
    // e^(b·ln a), and 1 where b = 0 as Math.pow has it (also for a = 0, +Inf or NaN)
    case I_POW: return select4(fsplat(1.0), vexp(f32x4.mul(b, vlog(a))), f32x4.eq(b, fsplat(0.0)));
    default: return f32x4.splat(NaN);
  }
}

// The loops run over nv vectors, nv a multiple of 4: a whole block, or a last block whose
// operands are all scratch registers (runProgram), so the few vectors past its end are
// scratch too. Cheap ops are unrolled by four; an immediate operand (stride 0) is loaded once.
// @ts-ignore: decorator
@inline function unLoop(op: i32, d: usize, a: usize, sa: usize, nv: i32): void {
  if (sa == 0) {
    const v = pun(op, v128.load(a));
    for (let i = 0; i < nv; i += 4) {
      v128.store(d, v); v128.store(d, v, 16); v128.store(d, v, 32); v128.store(d, v, 48);
      d += 64;
    }
  } else if (op == I_EXP || op == I_LOG || op == I_TANH) {
    for (let i = 0; i < nv; i += 2) {
      const x0 = v128.load(a);
      const x1 = v128.load(a, 16);
      v128.store(d, pun(op, x0));
      v128.store(d, pun(op, x1), 16);
      d += 32;
      a += 32;
    }
  } else {
    for (let i = 0; i < nv; i += 4) {
      v128.store(d, pun(op, v128.load(a)));
      v128.store(d, pun(op, v128.load(a, 16)), 16);
      v128.store(d, pun(op, v128.load(a, 32)), 32);
      v128.store(d, pun(op, v128.load(a, 48)), 48);
      d += 64;
      a += 64;
    }
  }
}

// @ts-ignore: decorator
@inline function binLoop(op: i32, d: usize, a: usize, sa: usize, b: usize, sb: usize, nv: i32): void {
  if (op == I_POW) {
    // a long body (log and exp): not unrolled
    for (let i = 0; i < nv; i++) {
      v128.store(d, pbin(op, v128.load(a), v128.load(b)));
      d += 16;
      a += sa;
      b += sb;
    }
  } else if (sa != 0 && sb != 0) {
    for (let i = 0; i < nv; i += 4) {
      v128.store(d, pbin(op, v128.load(a), v128.load(b)));
      v128.store(d, pbin(op, v128.load(a, 16), v128.load(b, 16)), 16);
      v128.store(d, pbin(op, v128.load(a, 32), v128.load(b, 32)), 32);
      v128.store(d, pbin(op, v128.load(a, 48), v128.load(b, 48)), 48);
      d += 64;
      a += 64;
      b += 64;
    }
  } else if (sa != 0) {
    const vb = v128.load(b);
    for (let i = 0; i < nv; i += 4) {
      v128.store(d, pbin(op, v128.load(a), vb));
      v128.store(d, pbin(op, v128.load(a, 16), vb), 16);
      v128.store(d, pbin(op, v128.load(a, 32), vb), 32);
      v128.store(d, pbin(op, v128.load(a, 48), vb), 48);
      d += 64;
      a += 64;
    }
  } else if (sb != 0) {
    const va = v128.load(a);
    for (let i = 0; i < nv; i += 4) {
      v128.store(d, pbin(op, va, v128.load(b)));
      v128.store(d, pbin(op, va, v128.load(b, 16)), 16);
      v128.store(d, pbin(op, va, v128.load(b, 32)), 32);
      v128.store(d, pbin(op, va, v128.load(b, 48)), 48);
      d += 64;
      b += 64;
    }
  } else {
    const v = pbin(op, v128.load(a), v128.load(b));
    for (let i = 0; i < nv; i += 4) {
      v128.store(d, v); v128.store(d, v, 16); v128.store(d, v, 32); v128.store(d, v, 48);
      d += 64;
    }
  }
}

function pUnary(op: i32, d: usize, a: usize, sa: usize, nv: i32): void {
  switch (op) {
    case I_MOV: unLoop(I_MOV, d, a, sa, nv); break;
    case I_NEG: unLoop(I_NEG, d, a, sa, nv); break;
    case I_ABS: unLoop(I_ABS, d, a, sa, nv); break;
    case I_SQRT: unLoop(I_SQRT, d, a, sa, nv); break;
    case I_FLOOR: unLoop(I_FLOOR, d, a, sa, nv); break;
    case I_CEIL: unLoop(I_CEIL, d, a, sa, nv); break;
    case I_EXP: unLoop(I_EXP, d, a, sa, nv); break;
    case I_LOG: unLoop(I_LOG, d, a, sa, nv); break;
    case I_TANH: unLoop(I_TANH, d, a, sa, nv); break;
    case I_NOT: unLoop(I_NOT, d, a, sa, nv); break;
    case I_B2F: unLoop(I_B2F, d, a, sa, nv); break;
    case I_TRUTHY: unLoop(I_TRUTHY, d, a, sa, nv); break;
  }
}

function pBinary(op: i32, d: usize, a: usize, sa: usize, b: usize, sb: usize, nv: i32): void {
  switch (op) {
    case I_ADD: binLoop(I_ADD, d, a, sa, b, sb, nv); break;
    case I_SUB: binLoop(I_SUB, d, a, sa, b, sb, nv); break;
    case I_MUL: binLoop(I_MUL, d, a, sa, b, sb, nv); break;
    case I_DIV: binLoop(I_DIV, d, a, sa, b, sb, nv); break;
    case I_LT: binLoop(I_LT, d, a, sa, b, sb, nv); break;
    case I_GT: binLoop(I_GT, d, a, sa, b, sb, nv); break;
    case I_LE: binLoop(I_LE, d, a, sa, b, sb, nv); break;
    case I_GE: binLoop(I_GE, d, a, sa, b, sb, nv); break;
    case I_EQ: binLoop(I_EQ, d, a, sa, b, sb, nv); break;
    case I_NE: binLoop(I_NE, d, a, sa, b, sb, nv); break;
    case I_AND: binLoop(I_AND, d, a, sa, b, sb, nv); break;
    case I_OR: binLoop(I_OR, d, a, sa, b, sb, nv); break;
    case I_MAX: binLoop(I_MAX, d, a, sa, b, sb, nv); break;
    case I_MIN: binLoop(I_MIN, d, a, sa, b, sb, nv); break;
    case I_POW: binLoop(I_POW, d, a, sa, b, sb, nv); break;
  }
}

// d = c ? a : b lane by lane; the mask c is always a register (comparisons write registers).
// @ts-ignore: decorator
@inline function selLoop(d: usize, c: usize, a: usize, sa: usize, b: usize, sb: usize, nv: i32): void {
  if (sa != 0 && sb != 0) {
    for (let i = 0; i < nv; i += 4) {
      v128.store(d, v128.bitselect(v128.load(a), v128.load(b), v128.load(c)));
      v128.store(d, v128.bitselect(v128.load(a, 16), v128.load(b, 16), v128.load(c, 16)), 16);
      v128.store(d, v128.bitselect(v128.load(a, 32), v128.load(b, 32), v128.load(c, 32)), 32);
      v128.store(d, v128.bitselect(v128.load(a, 48), v128.load(b, 48), v128.load(c, 48)), 48);
      d += 64;
      c += 64;
      a += 64;
      b += 64;
    }
  } else if (sa != 0) {
    const vb = v128.load(b);
    for (let i = 0; i < nv; i += 4) {
      v128.store(d, v128.bitselect(v128.load(a), vb, v128.load(c)));
      v128.store(d, v128.bitselect(v128.load(a, 16), vb, v128.load(c, 16)), 16);
      v128.store(d, v128.bitselect(v128.load(a, 32), vb, v128.load(c, 32)), 32);
      v128.store(d, v128.bitselect(v128.load(a, 48), vb, v128.load(c, 48)), 48);
      d += 64;
      c += 64;
      a += 64;
    }
  } else if (sb != 0) {
    const va = v128.load(a);
    for (let i = 0; i < nv; i += 4) {
      v128.store(d, v128.bitselect(va, v128.load(b), v128.load(c)));
      v128.store(d, v128.bitselect(va, v128.load(b, 16), v128.load(c, 16)), 16);
      v128.store(d, v128.bitselect(va, v128.load(b, 32), v128.load(c, 32)), 32);
      v128.store(d, v128.bitselect(va, v128.load(b, 48), v128.load(c, 48)), 48);
      d += 64;
      c += 64;
      b += 64;
    }
  } else {
    const va = v128.load(a);
    const vb = v128.load(b);
    for (let i = 0; i < nv; i += 4) {
      v128.store(d, v128.bitselect(va, vb, v128.load(c)));
      v128.store(d, v128.bitselect(va, vb, v128.load(c, 16)), 16);
      v128.store(d, v128.bitselect(va, vb, v128.load(c, 32)), 32);
      v128.store(d, v128.bitselect(va, vb, v128.load(c, 48)), 48);
      d += 64;
      c += 64;
    }
  }
}

function pSelect(d: usize, c: usize, a: usize, sa: usize, b: usize, sb: usize, nv: i32): void {
  selLoop(d, c, a, sa, b, sb, nv);
}

// Gathers output cells [at, at + len) of input `leaf` (a PLEAF_WORDS record) into `dst`:
// runs along the innermost dimension are copied (stride 1), filled (stride 0) or, for a
// permutation of the input's axes (transpose), read one cell at a time.
function gather(leaf: usize, dst: usize, at: i32, len: i32): void {
  const ptr = <usize>load<i32>(leaf);
  const d1 = load<i32>(leaf, 12), d2 = load<i32>(leaf, 16), d3 = load<i32>(leaf, 20);
  const s0 = load<i32>(leaf, 24), s1 = load<i32>(leaf, 28), s2 = load<i32>(leaf, 32), s3 = load<i32>(leaf, 36);
  let i3 = at % d3;
  let q = at / d3;
  let i2 = q % d2;
  q /= d2;
  let i1 = q % d1;
  let i0 = q / d1;
  let k = 0;
  while (k < len) {
    const run = min(d3 - i3, len - k);
    const src = ptr + (<usize>(i0 * s0 + i1 * s1 + i2 * s2 + i3 * s3) << 2);
    const out = dst + (<usize>k << 2);
    if (s3 == 1) {
      memory.copy(out, src, <usize>run << 2);
    } else if (s3 != 0) {
      // a permuted inner dimension (transpose): one cell at a time
      const step = <usize>s3 << 2;
      for (let j = 0; j < run; j++) store<f32>(out + (<usize>j << 2), load<f32>(src + <usize>j * step));
    } else {
      const v = v128.load32_splat(src);
      let j = 0;
      for (; j + 4 <= run; j += 4) v128.store(out + (<usize>j << 2), v);
      const f = f32x4.extract_lane(v, 0);
      for (; j < run; j++) store<f32>(out + (<usize>j << 2), f);
    }
    k += run;
    i3 = 0;
    if (++i2 == d2) {
      i2 = 0;
      if (++i1 == d1) {
        i1 = 0;
        i0++;
      }
    }
  }
}

/** Runs the fused program at `prog` for output cells [start, end), in participant `thread`'s scratch. */
function runProgram(prog: usize, thread: i32, start: i32, end: i32): void {
  const nInstr = load<i32>(prog);
  const nLeaves = load<i32>(prog, 4);
  const stride = load<i32>(prog, 12);
  const out = <usize>load<i32>(prog, 16);
  const nRegs = load<i32>(prog, 20);
  const imm = <usize>load<i32>(prog, 28);
  const regs = <usize>load<i32>(prog, 8) + <usize>thread * <usize>stride;
  const leaves = prog + (<usize>PH_LEAVES << 2);
  const code = leaves + (<usize>(nLeaves * PLEAF_WORDS) << 2);
  const regBytes = <usize>PBLOCK << 2;
  for (let b = start; b < end; b += PBLOCK) {
    const len = min(PBLOCK, end - b);
    // a block that is not a whole number of 16-cell groups runs on copies in scratch
    const tail = (len & 15) != 0;
    const nv = ((len + 15) >> 4) << 2;
    const off = <usize>b << 2;
    if (tail) {
      // inputs read in place become copies in their own registers (after the program's)
      for (let l = 0; l < nLeaves; l++) {
        const leaf = leaves + (<usize>(l * PLEAF_WORDS) << 2);
        if (load<i32>(leaf, 4) == 0) gather(leaf, regs + <usize>(nRegs + l) * regBytes, b, len);
      }
    }
    for (let i = 0; i < nInstr; i++) {
      const ins = code + (<usize>(i * PINSTR_WORDS) << 2);
      const op = load<i32>(ins);
      if (op == I_LOAD) {
        gather(leaves + (<usize>(load<i32>(ins, 8) * PLEAF_WORDS) << 2), regs + <usize>load<i32>(ins, 4) * regBytes, b, len);
        continue;
      }
      // destination: a register, or (index 0xffffff) the output
      const dw = load<u32>(ins, 4);
      const d = dw == 0xffffff ? (tail ? regs + <usize>(nRegs + nLeaves) * regBytes : out + off) : regs + <usize>dw * regBytes;
      const a = operand(load<u32>(ins, 8), regs, leaves, imm, nRegs, off, tail, regBytes);
      const sa: usize = load<u32>(ins, 8) >>> 24 == K_IMM ? 0 : 16;
      if (op < 20) {
        pUnary(op, d, a, sa, nv);
        continue;
      }
      const bw = load<u32>(ins, 12);
      const bp = operand(bw, regs, leaves, imm, nRegs, off, tail, regBytes);
      const sb: usize = bw >>> 24 == K_IMM ? 0 : 16;
      if (op < 40) {
        pBinary(op, d, a, sa, bp, sb, nv);
        continue;
      }
      const cw = load<u32>(ins, 16);
      const cp = operand(cw, regs, leaves, imm, nRegs, off, tail, regBytes);
      pSelect(d, a, bp, sb, cp, cw >>> 24 == K_IMM ? 0 : 16, nv);
    }
    if (tail) memory.copy(out + off, regs + <usize>(nRegs + nLeaves) * regBytes, <usize>len << 2);
  }
}

// The address of operand `w` for the block at byte offset `off` of the output.
// @ts-ignore: decorator
@inline function operand(w: u32, regs: usize, leaves: usize, imm: usize, nRegs: i32, off: usize, tail: bool, regBytes: usize): usize {
  const kind = w >>> 24;
  const i = <i32>(w & 0xffffff);
  if (kind == K_REG) return regs + <usize>i * regBytes;
  if (kind == K_IMM) return imm + (<usize>i << 4);
  // an input of the output's shape, read in place (or from its copy in a last, partial block)
  if (tail) return regs + <usize>(nRegs + i) * regBytes;
  return <usize>load<i32>(leaves + (<usize>(i * PLEAF_WORDS) << 2)) + off;
}

// ---------------------------------------------------------------------------------------
// Reductions of x viewed as [outer, len, inner] along the middle axis, rows [start, end) of
// `outer`. Along the last axis (inner = 1) a row is summed in 8 lanes, the lanes combined in
// a fixed order; otherwise whole inner rows are combined vector by vector.
// ---------------------------------------------------------------------------------------

export const ROP_SUM = 0;
export const ROP_MAX = 1;
export const ROP_MIN = 2;
export const ROP_MEAN = 3;
// max |x| (normLInf) and Σ |x| (normL1): the same walks over |x| (max |x| starts from 0, so
// combining partial results, which applies |·| again, changes nothing)
export const ROP_MAX_ABS = 4;
export const ROP_SUM_ABS = 5;
// the index of the maximum / minimum (as float32): the first on ties, and the first NaN wins,
// as reduce.ts's argReduce kernel (PyTorch's convention)
export const ROP_ARGMAX = 6;
export const ROP_ARGMIN = 7;

// @ts-ignore: decorator
@inline function argWalk(op: i32, x: usize, out: usize, len: i32, inner: i32, start: i32, end: i32): void {
  const step = <usize>inner << 2;
  for (let o = start; o < end; o++) {
    for (let i = 0; i < inner; i++) {
      const base = x + (<usize>(o * len * inner + i) << 2);
      let best = load<f32>(base);
      let at = 0;
      for (let p = 1; p < len; p++) {
        if (best != best) break;
        const v = load<f32>(base + <usize>p * step);
        if (v != v || (op == ROP_ARGMAX ? v > best : v < best)) {
          best = v;
          at = p;
        }
      }
      store<f32>(out + (<usize>(o * inner + i) << 2), <f32>at);
    }
  }
}

// @ts-ignore: decorator
@inline function red4(op: i32, acc: v128, x: v128): v128 {
  if (op == ROP_MAX_ABS) return f32x4.pmax(acc, f32x4.abs(x));
  if (op == ROP_SUM_ABS) return f32x4.add(acc, f32x4.abs(x));
  if (op == ROP_MAX) return f32x4.pmax(acc, x);
  if (op == ROP_MIN) return f32x4.pmin(acc, x);
  return f32x4.add(acc, x);
}

// @ts-ignore: decorator
@inline function redInit(op: i32): f32 {
  if (op == ROP_MAX) return -Infinity;
  if (op == ROP_MIN) return Infinity;
  return 0;
}

// @ts-ignore: decorator
@inline function redRow(op: i32, x: usize, len: i32): f32 {
  // pmax/pmin drop NaN: NaN lanes are tracked on the side so max/min still return NaN
  // four accumulators: an f32 add has 4 cycles of latency, one chain would wait on it
  let a0 = fsplat(redInit(op)), a1 = a0, a2 = a0, a3 = a0;
  let nan = f32x4.splat(0);
  let p = 0;
  for (; p + 16 <= len; p += 16) {
    const o = <usize>p << 2;
    const v0 = v128.load(x + o);
    const v1 = v128.load(x + o, 16);
    const v2 = v128.load(x + o, 32);
    const v3 = v128.load(x + o, 48);
    a0 = red4(op, a0, v0);
    a1 = red4(op, a1, v1);
    a2 = red4(op, a2, v2);
    a3 = red4(op, a3, v3);
    if (op == ROP_MAX || op == ROP_MIN || op == ROP_MAX_ABS) nan = v128.or(nan, v128.or(v128.or(isNaN4(v0), isNaN4(v1)), v128.or(isNaN4(v2), isNaN4(v3))));
  }
  for (; p + 4 <= len; p += 4) {
    const v0 = v128.load(x + (<usize>p << 2));
    a0 = red4(op, a0, v0);
    if (op == ROP_MAX || op == ROP_MIN || op == ROP_MAX_ABS) nan = v128.or(nan, isNaN4(v0));
  }
  const v = red4(op, red4(op, a0, a1), red4(op, a2, a3));
  let s: f32 = f32x4.extract_lane(v, 0);
  s = f32x4.extract_lane(red4(op, f32x4.splat(s), f32x4.splat(f32x4.extract_lane(v, 1))), 0);
  s = f32x4.extract_lane(red4(op, f32x4.splat(s), f32x4.splat(f32x4.extract_lane(v, 2))), 0);
  s = f32x4.extract_lane(red4(op, f32x4.splat(s), f32x4.splat(f32x4.extract_lane(v, 3))), 0);
  let anyNaN = v128.any_true(nan);
  for (; p < len; p++) {
    const e = load<f32>(x + (<usize>p << 2));
    if (e != e) anyNaN = true;
    s = f32x4.extract_lane(red4(op, f32x4.splat(s), f32x4.splat(e)), 0);
  }
  if ((op == ROP_MAX || op == ROP_MIN || op == ROP_MAX_ABS) && anyNaN) return NaN;
  if (op == ROP_MEAN) return s / <f32>len;
  return s;
}

// @ts-ignore: decorator
@inline function redWalk(op: i32, x: usize, out: usize, len: i32, inner: i32, start: i32, end: i32): void {
  if (inner == 1) {
    for (let o = start; o < end; o++) {
      store<f32>(out + (<usize>o << 2), redRow(op, x + (<usize>(o * len) << 2), len));
    }
    return;
  }
  for (let o = start; o < end; o++) {
    const dst = out + (<usize>(o * inner) << 2);
    const src = x + (<usize>(o * len * inner) << 2);
    const init = fsplat(redInit(op));
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      let acc = init;
      let nan = f32x4.splat(0);
      for (let p = 0; p < len; p++) {
        const v = v128.load(src + (<usize>(p * inner + i) << 2));
        acc = red4(op, acc, v);
        if (op == ROP_MAX || op == ROP_MIN || op == ROP_MAX_ABS) nan = v128.or(nan, isNaN4(v));
      }
      if (op == ROP_MAX || op == ROP_MIN || op == ROP_MAX_ABS) acc = v128.or(acc, nan);
      if (op == ROP_MEAN) acc = f32x4.div(acc, fsplat(<f32>len));
      v128.store(dst + (<usize>i << 2), acc);
    }
    for (; i < inner; i++) {
      let acc = f32x4.splat(redInit(op));
      let nan = f32x4.splat(0);
      for (let p = 0; p < len; p++) {
        const v = f32x4.splat(load<f32>(src + (<usize>(p * inner + i) << 2)));
        acc = red4(op, acc, v);
        if (op == ROP_MAX || op == ROP_MIN || op == ROP_MAX_ABS) nan = v128.or(nan, isNaN4(v));
      }
      if (op == ROP_MAX || op == ROP_MIN || op == ROP_MAX_ABS) acc = v128.or(acc, nan);
      if (op == ROP_MEAN) acc = f32x4.div(acc, fsplat(<f32>len));
      store<f32>(dst + (<usize>i << 2), f32x4.extract_lane(acc, 0));
    }
  }
}

/** Reduces x as [outer, len, inner] along len, for outer rows [start, end). */
export function reduce(op: i32, x: usize, out: usize, len: i32, inner: i32, start: i32, end: i32): void {
  switch (op) {
    case ROP_SUM: redWalk(ROP_SUM, x, out, len, inner, start, end); break;
    case ROP_MAX: redWalk(ROP_MAX, x, out, len, inner, start, end); break;
    case ROP_MIN: redWalk(ROP_MIN, x, out, len, inner, start, end); break;
    case ROP_MEAN: redWalk(ROP_MEAN, x, out, len, inner, start, end); break;
    case ROP_MAX_ABS: redWalk(ROP_MAX_ABS, x, out, len, inner, start, end); break;
    case ROP_SUM_ABS: redWalk(ROP_SUM_ABS, x, out, len, inner, start, end); break;
    case ROP_ARGMAX: argWalk(ROP_ARGMAX, x, out, len, inner, start, end); break;
    case ROP_ARGMIN: argWalk(ROP_ARGMIN, x, out, len, inner, start, end); break;
  }
}

// ---------------------------------------------------------------------------------------
// softmax, logSoftmax and logSumExp along the last axis, rows [start, end).
// ---------------------------------------------------------------------------------------

export const SM_SOFTMAX = 0;
export const SM_LOG_SOFTMAX = 1;
export const SM_LOG_SUM_EXP = 2;

/** mode 0: out = softmax(x); 1: out = logSoftmax(x); 2: out[row] = logSumExp(x[row]). */
export function softmax(mode: i32, x: usize, out: usize, len: i32, start: i32, end: i32): void {
  for (let r = start; r < end; r++) {
    const src = x + (<usize>(r * len) << 2);
    const m = redRow(ROP_MAX, src, len);
    const dst = out + (<usize>(r * len) << 2);
    if (m == Infinity || m == -Infinity || m != m) {
      // a non-finite maximum is the row's logSumExp itself (as in the generic kernels):
      // softmax = exp(x − m), logSoftmax = x − m
      if (mode == SM_LOG_SUM_EXP) {
        store<f32>(out + (<usize>r << 2), m);
      } else {
        for (let q = 0; q < len; q++) {
          const o = <usize>q << 2;
          const d = load<f32>(src + o) - m;
          store<f32>(dst + o, mode == SM_SOFTMAX ? f32x4.extract_lane(vexp(f32x4.splat(d)), 0) : d);
        }
      }
      continue;
    }
    const vm = f32x4.splat(m);
    let s0 = f32x4.splat(0), s1 = s0;
    let p = 0;
    // softmax keeps e^(x−m) in `out` for the normalising pass; the others only need the sum
    for (; p + 8 <= len; p += 8) {
      const o = <usize>p << 2;
      const e0 = vexpNonPositive(f32x4.sub(v128.load(src + o), vm));
      const e1 = vexpNonPositive(f32x4.sub(v128.load(src + o, 16), vm));
      if (mode == SM_SOFTMAX) {
        v128.store(dst + o, e0);
        v128.store(dst + o, e1, 16);
      }
      s0 = f32x4.add(s0, e0);
      s1 = f32x4.add(s1, e1);
    }
    const sv = f32x4.add(s0, s1);
    let s: f32 = f32x4.extract_lane(sv, 0) + f32x4.extract_lane(sv, 1) + f32x4.extract_lane(sv, 2) + f32x4.extract_lane(sv, 3);
    for (; p < len; p++) {
      const o = <usize>p << 2;
      const e = f32x4.extract_lane(vexpNonPositive(f32x4.splat(load<f32>(src + o) - m)), 0);
      if (mode == SM_SOFTMAX) store<f32>(dst + o, e);
      s += e;
    }
    if (mode == SM_SOFTMAX) {
      const inv = f32x4.splat(<f32>1.0 / s);
      let q = 0;
      for (; q + 4 <= len; q += 4) {
        const o = <usize>q << 2;
        v128.store(dst + o, f32x4.mul(v128.load(dst + o), inv));
      }
      const is: f32 = <f32>1.0 / s;
      for (; q < len; q++) {
        const o = <usize>q << 2;
        store<f32>(dst + o, load<f32>(dst + o) * is);
      }
    } else if (mode == SM_LOG_SOFTMAX) {
      const shift: f32 = m + <f32>Math.log(<f64>s);
      const vs = f32x4.splat(shift);
      let q = 0;
      for (; q + 4 <= len; q += 4) {
        const o = <usize>q << 2;
        v128.store(dst + o, f32x4.sub(v128.load(src + o), vs));
      }
      for (; q < len; q++) {
        const o = <usize>q << 2;
        store<f32>(dst + o, load<f32>(src + o) - shift);
      }
    } else {
      store<f32>(out + (<usize>r << 2), m + <f32>Math.log(<f64>s));
    }
  }
}

// ---------------------------------------------------------------------------------------
// Adam (Kingma & Ba 2015). The host forms every constant in float64 (1 − f32(0.999) is off by
// 1.3e-5) and passes it rounded once.
// ---------------------------------------------------------------------------------------

/**
 * Adam's moments and update direction in one pass for cells [start, end) (the tensor package's
 * `adamMoments` and `adamStep`): m' = β₁m + (1−β₁)g and v' = β₂v + (1−β₂)g², in the order and
 * roundings of the fused chain, into `outM` and `outV`, and u = (m'·r₁) / (√v'·r₂ + ε) with
 * r₁ = 1/(1−β₁ᵗ), r₂ = 1/√(1−β₂ᵗ) formed in float64 by the host (one division and one square
 * root a cell) into `outU` — or, when `theta` is not 0, θ' = θ + u·(−lr) (a multiply, then an
 * add: the roundings of θ + lr-scaled updates as two fused-chain ops). Each cell is read before
 * it is written, so the outputs may be the inputs themselves (outM = m, outV = v, outU = θ: a
 * step in place).
 */
export function adamMoments(
  grad: usize, m: usize, v: usize, theta: usize, outM: usize, outV: usize, outU: usize, start: i32, end: i32,
  beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, rbc1: f32, rbc2: f32, eps: f32, negLr: f32,
): void {
  const b1 = f32x4.splat(beta1), c1 = f32x4.splat(oneMinusBeta1);
  const b2 = f32x4.splat(beta2), c2 = f32x4.splat(oneMinusBeta2);
  const r1 = f32x4.splat(rbc1), r2 = f32x4.splat(rbc2), ep = f32x4.splat(eps), nl = f32x4.splat(negLr);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    const g = v128.load(grad + o);
    const mi = f32x4.add(f32x4.mul(v128.load(m + o), b1), f32x4.mul(g, c1));
    const vi = f32x4.add(f32x4.mul(v128.load(v + o), b2), f32x4.mul(f32x4.mul(g, g), c2));
    const u = f32x4.div(f32x4.mul(mi, r1), f32x4.add(f32x4.mul(f32x4.sqrt(vi), r2), ep));
    const w = theta == 0 ? u : f32x4.add(v128.load(theta + o), f32x4.mul(u, nl));
    v128.store(outM + o, mi);
    v128.store(outV + o, vi);
    v128.store(outU + o, w);
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const g = load<f32>(grad + o);
    const mi = load<f32>(m + o) * beta1 + g * oneMinusBeta1;
    const vi = load<f32>(v + o) * beta2 + g * g * oneMinusBeta2;
    const u = (mi * rbc1) / (<f32>Math.sqrt(<f64>vi) * rbc2 + eps);
    const w = theta == 0 ? u : load<f32>(theta + o) + u * negLr;
    store<f32>(outM + o, mi);
    store<f32>(outV + o, vi);
    store<f32>(outU + o, w);
  }
}

// ---------------------------------------------------------------------------------------
// Index ops: gather, oneHot, concat's pieces and topKMask's direct ranking, cell for cell the
// gpu.js sources of manipulate.ts and sparsity.ts (an index is read as float32 and rounded in
// float64, as the cpu reference does).
// ---------------------------------------------------------------------------------------

/**
 * Rows [start, end) of gather's output, viewed as [outer·k, inner]: row a·k + j is row
 * round(idx[j]) of x's slab a ([len, inner]); NaN where idx[j] is not an integer in [0, len).
 */
export function gatherRows(x: usize, idx: usize, out: usize, len: i32, inner: i32, k: i32, start: i32, end: i32): void {
  const rowBytes = <usize>inner << 2;
  for (let r = start; r < end; r++) {
    const a = r / k;
    const j = r - a * k;
    const raw = load<f32>(idx + (<usize>j << 2));
    const g = Math.floor(<f64>raw + 0.5);
    const dst = out + <usize>r * rowBytes;
    if (g != <f64>raw || g < 0 || g > <f64>(len - 1)) {
      for (let c = 0; c < inner; c++) store<f32>(dst + (<usize>c << 2), NaN);
    } else {
      memory.copy(dst, x + (<usize>a * <usize>len + <usize>(<i32>g)) * rowBytes, rowBytes);
    }
  }
}

/** Rows [start, end) of oneHot's [n, depth] output: 1 at round(idx[r]) when that is in [0, depth), else 0. */
export function oneHot(idx: usize, out: usize, depth: i32, start: i32, end: i32): void {
  const rowBytes = <usize>depth << 2;
  for (let r = start; r < end; r++) {
    const row = out + <usize>r * rowBytes;
    memory.fill(row, 0, rowBytes);
    const g = Math.floor(<f64>load<f32>(idx + (<usize>r << 2)) + 0.5);
    if (g >= 0 && g < <f64>depth) store<f32>(row + (<usize>(<i32>g) << 2), 1);
  }
}

/** Rows [start, end) of `rows` rows of `width` floats from `src`, each to `dst` + row · `dstStride` floats (concat's pieces). */
export function copyRows(src: usize, dst: usize, width: i32, dstStride: i32, start: i32, end: i32): void {
  const bytes = <usize>width << 2;
  for (let r = start; r < end; r++) {
    memory.copy(dst + (<usize>r * <usize>dstStride << 2), src + <usize>r * bytes, bytes);
  }
}

/**
 * Cells [start, end) of topKMask's direct ranking over groups of `len` cells `inner` apart: a
 * cell is 1 when fewer than k cells of its group outrank it (a larger |x|, NaN the largest,
 * ties to the lower index), else 0.
 */
export function topKDirect(x: usize, out: usize, len: i32, inner: i32, k: i32, start: i32, end: i32): void {
  const group = len * inner;
  for (let o = start; o < end; o++) {
    const outer = o / group;
    const rest = o - outer * group;
    const j = rest / inner;
    const base = x + (<usize>(outer * group + rest - j * inner) << 2);
    const v = load<f32>(x + (<usize>o << 2));
    const m = v != v ? Infinity : Mathf.abs(v);
    let rank = 0;
    for (let p = 0; p < len && rank < k; p++) {
      const w = load<f32>(base + (<usize>(p * inner) << 2));
      const q = w != w ? Infinity : Mathf.abs(w);
      if (q > m || (q == m && p < j)) rank++;
    }
    store<f32>(out + (<usize>o << 2), rank < k ? 1 : 0);
  }
}

/** Probe export: a module that compiles and links proves the build's features work here. */
export function probe(): i32 {
  return 1;
}
