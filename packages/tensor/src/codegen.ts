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
 * An elementwise chain as a backend with its own fused executor receives it (the
 * {@link CodegenProfile}'s `fuse` hook): the statements `const name = expr;` in order, over
 * the leaves' names (`r0…`, leaf k is argument k, read with broadcasting against `shape`),
 * the scalar arguments' names (`s0…`, after the leaves) and earlier statements' names;
 * expressions are the ops' gpu.js code with `Math.exp` for e^x (no table-driven exp).
 * @internal
 */
export interface FusedChain {
  readonly statements: ReadonlyArray<{ readonly name: string; readonly expr: string }>;
  readonly leaves: ReadonlyArray<{ readonly name: string; readonly shape: readonly number[] }>;
  readonly scalars: readonly string[];
  /** The name of the chain's value. */
  readonly out: string;
  /** The output's shape. */
  readonly shape: readonly number[];
}

/** The chain's nodes in evaluation order: inlined elementwise ops and leaves. */
type FusedNode = { t: Tensor; leaf: true } | { t: Tensor; leaf: false; inputs: Array<Tensor | number> };

/**
 * Generates one kernel for the elementwise subgraph rooted at `root`. Leaves (realised
 * tensors and non-elementwise ops) are read with broadcasting against the root's shape,
 * which is exact because NumPy broadcasting composes; `leaf` is called on each (the planner
 * realises it first). A profile with a `fuse` hook is offered the chain first; when it
 * returns null the gpu.js source is generated. @internal
 */
export function fuse(
  root: Tensor,
  profile: CodegenProfile,
  leaf: (t: Tensor) => void,
): { program: KernelProgram; args: Array<Tensor | number> } {
  // Module-level functions and a class rather than closures: this runs on every realisation,
  // and the bundle names every closure it creates (keepNames), which cost ~1 µs an 8×8 op.
  const nodes: FusedNode[] = [];
  const leaves: Tensor[] = [];
  collect(root, root, 0, nodes, leaves, new Set(), leaf);
  if (profile.fuse) {
    const chain = new Emitter(leaves, root, NATIVE_PROFILE).run(nodes);
    const leafList: Array<{ name: string; shape: readonly number[] }> = [];
    for (let k = 0; k < leaves.length; k++) leafList.push({ name: `r${k}`, shape: leaves[k].shape });
    const scalarNames: string[] = [];
    for (let k = 0; k < chain.scalars.length; k++) scalarNames.push(`s${k}`);
    const program = profile.fuse({
      statements: chain.statements,
      leaves: leafList,
      scalars: scalarNames,
      out: chain.out,
      shape: root.shape,
    });
    if (program) return { program, args: [...leaves, ...chain.scalars] };
  }
  const chain = new Emitter(leaves, root, profile).run(nodes);
  const lines = chain.leafLines;
  for (const st of chain.statements) lines.push(`const ${st.name} = ${st.expr};`);
  const params: string[] = [];
  for (let k = 0; k < leaves.length; k++) params.push(`a${k}`);
  for (let k = 0; k < chain.scalars.length; k++) params.push(`s${k}`);
  const source = `function(${params.join(', ')}) {\n  ${lines.join('\n  ')}\n  return ${chain.out};\n}`;
  const program = Object.keys(chain.constants).length ? { source, constants: chain.constants } : { source };
  return { program, args: [...leaves, ...chain.scalars] };
}

/** The formulation a backend's own fused executor reads: `Math.exp`, no tables. */
const NATIVE_PROFILE: CodegenProfile = { fastExp: false };

// The chain's nodes in evaluation order (inputs first), each tensor once: elementwise ops
// inlined while the bounds allow, everything else a leaf (realised first by `leaf`).
function collect(
  t: Tensor,
  root: Tensor,
  depth: number,
  nodes: FusedNode[],
  leaves: Tensor[],
  seen: Set<Tensor>,
  leaf: (t: Tensor) => void,
): void {
  if (seen.has(t)) return;
  const op = t[OP];
  const inline =
    t !== root ? !t[VALUE] && op?.kind === 'ew' && depth < MAX_FUSED_DEPTH && leaves.length < MAX_FUSED_LEAVES : true;
  if (inline && op?.kind === 'ew') {
    for (const x of op.inputs) if (typeof x !== 'number') collect(x, root, depth + 1, nodes, leaves, seen, leaf);
    nodes.push({ t, leaf: false, inputs: op.inputs });
  } else {
    leaf(t);
    leaves.push(t);
    nodes.push({ t, leaf: true });
  }
  seen.add(t);
}

// The statements of a collected chain for one codegen profile: each op's code over its
// operands' names, temporaries before the statement that uses them. Leaf reads come first
// (`leafLines`, gpu.js source only), so the statements' order is the nodes' order.
class Emitter {
  readonly statements: Array<{ name: string; expr: string }> = [];
  readonly leafLines: string[] = [];
  readonly scalars: number[] = [];
  readonly constants: Record<string, Float32Array> = {};
  /** The name of the root's value, once {@link Emitter.run} has run. */
  out = '';
  // temporaries arrive as `const name = expr;` lines from the code context
  private readonly lines: string[] = [];
  private readonly names = new Map<Tensor, string>();
  // bound, not an arrow field: the bundle would name a new closure on every instance
  private readonly scalar = this.addScalar.bind(this);

  constructor(
    private readonly leaves: readonly Tensor[],
    private readonly root: Tensor,
    private readonly profile: CodegenProfile,
  ) {}

  /** Makes `value` the next scalar argument and returns its name. */
  private addScalar(value: number): string {
    this.scalars.push(value);
    return `s${this.scalars.length - 1}`;
  }

  run(nodes: readonly FusedNode[]): this {
    let tmp = 0;
    for (const node of nodes) {
      if (node.leaf) {
        const k = this.leaves.indexOf(node.t);
        const index = broadcastIndex(node.t.shape, this.root.shape, 'this.thread.x', {
          lines: this.leafLines,
          prefix: `i${k}_`,
        });
        this.leafLines.push(`const r${k} = a${k}[${index}];`);
        this.names.set(node.t, `r${k}`);
        continue;
      }
      const op = node.t[OP];
      if (op?.kind !== 'ew') throw new Error('fuse: an inlined node lost its elementwise op');
      const args: string[] = [];
      for (const x of node.inputs) args.push(typeof x === 'number' ? this.scalar(x) : (this.names.get(x) as string));
      const name = `v${tmp++}`;
      const expr = op.code(args, codeContext(this.lines, `${name}_`, this.profile, this.constants, this.scalar));
      for (const line of this.lines) {
        const eq = line.indexOf(' = ');
        this.statements.push({ name: line.slice(6, eq), expr: line.slice(eq + 3, -1) });
      }
      this.lines.length = 0;
      this.statements.push({ name, expr });
      this.names.set(node.t, name);
    }
    this.out = this.names.get(this.root) as string;
    return this;
  }
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
