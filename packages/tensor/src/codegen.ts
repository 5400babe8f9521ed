// Code generation for the planner: the fused elementwise kernel and the broadcasting index
// expressions. Op-specific kernel sources live with their ops (and backend variants in kernels/).

import { codeContext } from './fastmath.js';
import type { CodegenProfile, KernelProgram } from './kernels/registry.js';
import { divmod, sizeOf } from './shape.js';
import { OP, type Tensor, VALUE } from './tensor.js';

// Fused elementwise kernels stop growing past these bounds: GL backends cap texture
// arguments (16 units is the common floor), and very deep expressions compile slowly.
const MAX_FUSED_LEAVES = 12;
const MAX_FUSED_DEPTH = 48;

/**
 * Generates one kernel for the elementwise subgraph rooted at `root`. Leaves (realised
 * tensors and non-elementwise ops) are read with broadcasting against the root's shape,
 * which is exact because NumPy broadcasting composes; `leaf` is called on each (the planner
 * realises it first). @internal
 */
export function fuse(
  root: Tensor,
  profile: CodegenProfile,
  leaf: (t: Tensor) => void,
): { program: KernelProgram; args: Array<Tensor | number> } {
  const leaves: Tensor[] = [];
  const scalars: number[] = [];
  const lines: string[] = [];
  const constants: Record<string, Float32Array> = {};
  const names = new Map<Tensor, string>();
  let tmp = 0;
  const constant = (value: number): string => {
    scalars.push(value);
    return `s${scalars.length - 1}`;
  };
  const visit = (t: Tensor, depth: number): string => {
    const known = names.get(t);
    if (known) return known;
    const op = t[OP];
    const inline =
      t !== root ? !t[VALUE] && op?.kind === 'ew' && depth < MAX_FUSED_DEPTH && leaves.length < MAX_FUSED_LEAVES : true;
    let name: string;
    if (inline && op?.kind === 'ew') {
      const args = op.inputs.map((x) => {
        if (typeof x === 'number') {
          scalars.push(x);
          return `s${scalars.length - 1}`;
        }
        return visit(x, depth + 1);
      });
      name = `v${tmp++}`;
      const expr = op.code(args, codeContext(lines, `${name}_`, profile, constants, constant));
      lines.push(`const ${name} = ${expr};`);
    } else {
      leaf(t);
      const k = leaves.length;
      leaves.push(t);
      name = `r${k}`;
      lines.push(
        `const ${name} = a${k}[${broadcastIndex(t.shape, root.shape, 'this.thread.x', { lines, prefix: `i${k}_` })}];`,
      );
    }
    names.set(t, name);
    return name;
  };
  const out = visit(root, 0);
  const params = [...leaves.map((_, k) => `a${k}`), ...scalars.map((_, k) => `s${k}`)];
  const source = `function(${params.join(', ')}) {\n  ${lines.join('\n  ')}\n  return ${out};\n}`;
  return { program: Object.keys(constants).length ? { source, constants } : { source }, args: [...leaves, ...scalars] };
}

/**
 * The flat index into a tensor of shape `from` that broadcasts to element `i` of a tensor
 * of shape `to`. Divisions are floored at i + 0.5 so GL's float arithmetic stays exact; past
 * 2²³ output cells that is no longer exact in float32, and the coordinates are computed by
 * {@link divmod}'s corrected statements, appended to `emit.lines`.
 * @internal
 */
// `this.thread.x` is written inline: webasm keeps a declared integer local in f32 and pays a
// conversion on every indexed read (measured 1.5× on a 1e6-element kernel).
export function broadcastIndex(
  from: readonly number[],
  to: readonly number[],
  i = 'this.thread.x',
  emit?: { lines: string[]; prefix: string },
): string {
  const size = sizeOf(from);
  const total = sizeOf(to);
  if (size === total && from.length <= to.length && sameTail(from, to)) return i;
  if (size === 1) return '0';
  const r = to.length;
  const padded = [...new Array(r - from.length).fill(1), ...from];
  const terms: string[] = [];
  let inStride = 1;
  const inStrides = new Array(r).fill(0);
  for (let d = r - 1; d >= 0; d--) {
    inStrides[d] = padded[d] === 1 ? 0 : inStride;
    inStride *= padded[d];
  }
  const exactInline = total <= 2 ** 23;
  if (!exactInline && !emit) throw new Error(`broadcastIndex: ${total} cells need statement lines`);
  let outStride = total;
  let rem = i;
  for (let d = 0; d < r; d++) {
    outStride /= to[d];
    let coord = rem;
    if (outStride !== 1) {
      if (exactInline) {
        coord = `Math.floor((${rem} + 0.5) / ${outStride})`;
        rem = `(${rem} - Math.floor((${rem} + 0.5) / ${outStride}) * ${outStride})`;
      } else {
        const { lines, prefix } = emit as { lines: string[]; prefix: string };
        lines.push(...divmod(`${prefix}q${d}`, `${prefix}r${d}`, rem, outStride, total));
        coord = `${prefix}q${d}`;
        rem = `${prefix}r${d}`;
      }
    }
    if (inStrides[d] !== 0) terms.push(inStrides[d] === 1 ? `(${coord})` : `(${coord}) * ${inStrides[d]}`);
  }
  return terms.length ? terms.join(' + ') : '0';
}

function sameTail(a: readonly number[], b: readonly number[]): boolean {
  for (let k = 1; k <= a.length; k++) if (a[a.length - k] !== b[b.length - k]) return false;
  return true;
}
