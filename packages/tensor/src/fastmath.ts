import type { CodegenProfile } from './kernels/registry.js';

/**
 * exp() that vectorises on webasm. There `Math.exp` is a call out to JavaScript per SIMD
 * lane (~23 ns an element); this is Cephes' expf in straight-line f32 arithmetic: n =
 * round(x·log₂e), r = x − n·ln2 in two parts (Cody–Waite), a degree-7 polynomial for eʳ,
 * and 2ⁿ from a table (webasm has no bit casts). Within 2 ulp of the true value on
 * [−87.3, 88.7]; 0 below, +Inf above, NaN passes through. Backends whose
 * {@link CodegenProfile} has no `fastExp` keep Math.exp.
 * @internal
 */

/** 2^(i − 127) for i = 0…254; `exp` reads 2ⁿ⁻¹ at index n + 126 and doubles it. */
export const EXP2_TABLE: Float32Array = Float32Array.from({ length: 255 }, (_, i) => 2 ** (i - 127));

/** Where generated code may put its temporaries, and which formulation to use. @internal */
export interface CodeContext {
  /** Binds `expr` to a fresh local and returns its name. */
  temp(expr: string): string;
  /** Whether to inline the polynomial exp (the backend's {@link CodegenProfile}). */
  fastExp: boolean;
  /** Makes `data` a constant table of the kernel and returns the expression that reads it. */
  table(name: string, data: Float32Array): string;
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
  return `(${x} != ${x} ? ${x} : (${x} > 88.72283 ? 3.4028234663852886e38 * 2.0 : (${x} < -87.33654 ? 0.0 : ${p} * ${ctx.table('p2', EXP2_TABLE)}[${c} + 126.0] * 2.0)))`;
}

/**
 * A context that appends temporaries to `lines`, with names from `prefix`, formulated for
 * `profile`; the tables its code reads are added to `constants`, which the kernel program
 * then carries. @internal
 */
export function codeContext(
  lines: string[],
  prefix: string,
  profile: CodegenProfile,
  constants: Record<string, Float32Array>,
  constant?: (value: number) => string,
): CodeContext {
  let k = 0;
  return {
    fastExp: profile.fastExp,
    table(name: string, data: Float32Array): string {
      constants[name] = data;
      return `this.constants.${name}`;
    },
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
