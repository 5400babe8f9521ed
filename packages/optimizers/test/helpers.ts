import { Parameter } from '@sparsekit/autograd';
import { type Tensor, tensor } from '@sparsekit/tensor';

/** Parameters from flat float32 data and shapes. */
export function params(data: ArrayLike<number>[], shapes: number[][]): Parameter[] {
  return shapes.map((s, i) => new Parameter(tensor(Float32Array.from(data[i]), s)));
}

/** Sets each parameter's `.grad` to `f(values)` computed on the host in float64, rounded to float32. */
export function setGrads(ps: Parameter[], f: (values: Float32Array[]) => ArrayLike<number>[]): void {
  const grads = f(ps.map((p) => p.value.dataSync()));
  ps.forEach((p, i) => {
    p.grad?.dispose();
    p.grad = tensor(Float32Array.from(grads[i]), p.value.shape);
  });
}

/** Values of tensors or parameters, read synchronously. */
export function values(xs: Array<Parameter | Tensor>): Float32Array[] {
  return xs.map((x) => ('assign' in x ? x.value : x).dataSync());
}

/** Max |a − b| / (atol + rtol·|b|) over all elements: ≤ 1 means within tolerance. */
export function worst(a: ArrayLike<number>[], b: ArrayLike<number>[], atol: number, rtol: number): number {
  let w = 0;
  a.forEach((x, k) => {
    for (let i = 0; i < x.length; i++) w = Math.max(w, Math.abs(x[i] - b[k][i]) / (atol + rtol * Math.abs(b[k][i])));
  });
  return w;
}

/** Zeros must be exactly zero; other values equal to 6 decimals. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: number[],
  check: (a: number, e: number) => void,
): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  expected.forEach((e, i) => check(actual[i], e));
}
