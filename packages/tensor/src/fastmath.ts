/**
 * exp() that vectorises on webasm. There `Math.exp` is a call out to JavaScript per SIMD
 * lane (~23 ns an element); this is Cephes' expf in straight-line f32 arithmetic: n =
 * round(x·log₂e), r = x − n·ln2 in two parts (Cody–Waite), a degree-7 polynomial for eʳ,
 * and 2ⁿ from a table (webasm has no bit casts). Within 2 ulp of the true value on
 * [−87.3, 88.7]; 0 below, +Inf above, NaN passes through. Other backends keep Math.exp.
 * @internal
 */

/** 2^(i − 127) for i = 0…254; `exp` reads 2ⁿ⁻¹ at index n + 126 and doubles it. */
export const EXP2_TABLE: Float32Array = Float32Array.from({ length: 255 }, (_, i) => Math.pow(2, i - 127));

/** Marker that makes the kernel builder pass {@link EXP2_TABLE} as `this.constants.p2`. */
export const EXP2_CONSTANT = 'this.constants.p2';

/** Where generated code may put its temporaries, and which formulation to use. @internal */
export interface CodeContext {
  /** Binds `expr` to a fresh local and returns its name. */
  temp(expr: string): string;
  /** Whether to inline the polynomial exp (webasm). */
  fastExp: boolean;
  /**
   * A runtime float argument holding `value`. NaN and ±Inf have no literal that every
   * shader compiler keeps (GLSL folds or rejects them), so they enter as arguments.
   */
  constant(value: number): string;
}

/** The expression for e^arg in the given context. @internal */
export function expOf(ctx: CodeContext, arg: string): string {
  if (!ctx.fastExp) {
    // SwiftShader's exp(NaN) is +Inf: keep NaN explicitly.
    const x = ctx.temp(arg);
    return `(${x} != ${x} ? ${x} : Math.exp(${x}))`;
  }
  const x = ctx.temp(arg);
  const n = ctx.temp(`Math.floor(${x} * 1.4426950408889634 + 0.5)`);
  const c = ctx.temp(`(${n} < -126.0 ? -126.0 : (${n} > 128.0 ? 128.0 : ${n}))`);
  const r = ctx.temp(`((${x} - ${c} * 0.693359375) + ${c} * 0.000212194440)`);
  const p = ctx.temp(
    `((((((0.00019875691500 * ${r} + 0.0013981999507) * ${r} + 0.0083334519073) * ${r} + 0.041665795894) * ${r} + 0.16666665459) * ${r} + 0.50000001201) * ${r} * ${r} + ${r} + 1.0)`,
  );
  return `(${x} != ${x} ? ${x} : (${x} > 88.72283 ? 3.4028234663852886e38 * 2.0 : (${x} < -87.33654 ? 0.0 : ${p} * ${EXP2_CONSTANT}[${c} + 126.0] * 2.0)))`;
}

/** A context that appends temporaries to `lines`, with names from `prefix`. @internal */
export function codeContext(lines: string[], prefix: string, fastExp: boolean, constant?: (value: number) => string): CodeContext {
  let k = 0;
  return {
    fastExp,
    constant:
      constant ??
      ((value: number) => {
        throw new Error(`kernel constant ${value} needs an elementwise kernel`);
      }),
    temp(expr: string): string {
      const name = `${prefix}${k++}`;
      lines.push(`const ${name} = ${expr};`);
      return name;
    },
  };
}
