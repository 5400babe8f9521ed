/**
 * The `wasm` backend's executor for fused elementwise chains (issue 12): the lazy graph's
 * chain (codegen.ts's {@link FusedChain}, gpu.js expressions over named operands) is parsed
 * and compiled into a register program that assembly/kernels.ts runs block by block
 * (`runProgram`), with every input and output resident in wasm memory, so a chain — and the
 * optimizers' updates, which are such chains — runs natively without copies. An expression
 * this compiler does not know (a table read, an index expression, `Math.pow` of anything but
 * magnitudes) makes the whole
 * chain fall back to its gpu.js source, as any kernel without a wasm variant does.
 *
 * The language: number literals, the chain's names, `+ - * /`, comparisons, `&& || !`,
 * `c ? a : b`, `Math.abs sqrt floor ceil exp log tanh max min`, and `Math.pow` of two
 * `Math.abs(…)` (as `pow`'s code calls it: e^(b·ln a), within the parity suite's
 * transcendental tolerance wherever the result is a finite float32). Comparisons give lane
 * masks; a mask used as a number is 1 or 0 and a number used as a condition is true when
 * neither 0 nor NaN, as in JavaScript. Both arms of a `?:` are computed and selected, which is
 * exact for these side-effect-free expressions.
 * @internal
 */
import type { FusedChain } from '../codegen.js';
import { sizeOf } from '../shape.js';
import type { WasmRuntime } from '../wasm/runtime.js';

// Mirrors of assembly/kernels.ts's program layout and opcodes.
/** Output cells a program runs at a time (floats per register). */
export const PBLOCK = 512;
const PH_LEAVES = 8;
const PLEAF_WORDS = 12;
const PINSTR_WORDS = 8;
const K_REG = 0;
const K_LEAF = 1;
const K_IMM = 2;
const OUT = 0xffffff;
/** Registers a program may use (each PBLOCK floats of every thread's scratch). */
const MAX_REGS = 64;

const I = {
  mov: 0,
  neg: 1,
  abs: 2,
  sqrt: 3,
  floor: 4,
  ceil: 5,
  exp: 6,
  log: 7,
  tanh: 8,
  not: 9,
  b2f: 10,
  truthy: 11,
  add: 20,
  sub: 21,
  mul: 22,
  div: 23,
  lt: 24,
  gt: 25,
  le: 26,
  ge: 27,
  eq: 28,
  ne: 29,
  and: 30,
  or: 31,
  max: 32,
  min: 33,
  pow: 34,
  select: 40,
  load: 50,
} as const;

const MATH_UNARY: Record<string, number> = {
  'Math.abs': I.abs,
  'Math.sqrt': I.sqrt,
  'Math.floor': I.floor,
  'Math.ceil': I.ceil,
  'Math.exp': I.exp,
  'Math.log': I.log,
  'Math.tanh': I.tanh,
};
const BINARY: Record<string, number> = {
  '+': I.add,
  '-': I.sub,
  '*': I.mul,
  '/': I.div,
  '<': I.lt,
  '>': I.gt,
  '<=': I.le,
  '>=': I.ge,
  '==': I.eq,
  '===': I.eq,
  '!=': I.ne,
  '!==': I.ne,
};

/** Why a chain is not compiled; caught by {@link fusedProgram}, which then returns null. */
class Unsupported extends Error {}

// ---------------------------------------------------------------------------------------
// Parsing

type Node =
  | { k: 'num'; v: number }
  | { k: 'ref'; name: string }
  | { k: 'un'; op: string; a: Node }
  | { k: 'bin'; op: string; a: Node; b: Node }
  | { k: 'tern'; c: Node; a: Node; b: Node }
  | { k: 'call'; fn: string; args: Node[] };

const TOKEN =
  /\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)|(===|!==|==|!=|<=|>=|&&|\|\||[-+*/<>!?:(),]))/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < src.length) {
    if (/^\s*$/.test(src.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(src);
    if (!m) throw new Unsupported(`unexpected '${src.slice(at, at + 10)}'`);
    out.push(m[1] ?? m[2] ?? m[3]);
    at = TOKEN.lastIndex;
  }
  return out;
}

/** Parses one expression (JavaScript precedence: ?: below || below && below equality below relations). */
function parse(src: string): Node {
  const t = tokenize(src);
  let p = 0;
  const peek = (): string | undefined => t[p];
  const take = (want?: string): string => {
    const x = t[p++];
    if (x === undefined || (want !== undefined && x !== want)) throw new Unsupported(`expected ${want ?? 'a token'}`);
    return x;
  };
  const left = (next: () => Node, ops: readonly string[]): Node => {
    let a = next();
    while (ops.includes(peek() as string)) {
      const op = take();
      a = { k: 'bin', op, a, b: next() };
    }
    return a;
  };
  const ternary = (): Node => {
    const c = or();
    if (peek() !== '?') return c;
    take('?');
    const a = ternary();
    take(':');
    return { k: 'tern', c, a, b: ternary() };
  };
  const or = (): Node => left(and, ['||']);
  const and = (): Node => left(equality, ['&&']);
  const equality = (): Node => left(relation, ['==', '!=', '===', '!==']);
  const relation = (): Node => left(additive, ['<', '>', '<=', '>=']);
  const additive = (): Node => left(multiplicative, ['+', '-']);
  const multiplicative = (): Node => left(unary, ['*', '/']);
  const unary = (): Node => {
    const x = peek();
    if (x === '-' || x === '+' || x === '!') {
      take();
      const a = unary();
      if (x === '-' && a.k === 'num') return { k: 'num', v: -a.v };
      return x === '+' ? a : { k: 'un', op: x, a };
    }
    return primary();
  };
  const primary = (): Node => {
    const x = take();
    if (x === '(') {
      const e = ternary();
      take(')');
      return e;
    }
    if (/^[\d.]/.test(x)) return { k: 'num', v: Number(x) };
    if (!/^[A-Za-z_$]/.test(x)) throw new Unsupported(`unexpected '${x}'`);
    if (peek() !== '(') return { k: 'ref', name: x };
    take('(');
    const args: Node[] = [];
    if (peek() !== ')') {
      args.push(ternary());
      while (peek() === ',') {
        take(',');
        args.push(ternary());
      }
    }
    take(')');
    return { k: 'call', fn: x, args };
  };
  const e = ternary();
  if (p !== t.length) throw new Unsupported(`trailing '${t[p]}'`);
  return e;
}

// ---------------------------------------------------------------------------------------
// Compiling

/** An operand while compiling: a virtual register, an input read in place, or an immediate. */
type Operand = { kind: 'v'; id: number } | { kind: 'leaf'; k: number } | { kind: 'imm'; i: number };
/** A value: its operand and whether it is a number or a lane mask. */
interface Value {
  op: Operand;
  mask: boolean;
}
interface Instr {
  op: number;
  dst: number; // virtual register, or OUT
  src: Operand[];
  leaf?: number; // I.load's input
}

/** How an input is read: in place, gathered per block, or (one cell) as an immediate. */
interface LeafPlan {
  kind: 0 | 1 | 2;
  dims: number[];
  strides: number[];
  imm: number;
}

/** Where an immediate's value comes from at call time. */
type ImmSource = { from: 'literal'; value: number } | { from: 'scalar'; arg: number } | { from: 'leaf'; k: number };

/** A compiled chain: what the runner writes into its program block. */
export interface FusedProgram {
  readonly leaves: readonly LeafPlan[];
  readonly code: Int32Array;
  readonly imms: readonly ImmSource[];
  readonly regs: number;
  readonly total: number;
}

/**
 * A leaf of shape `from` read against an output of shape `to` as 4 dimensions [d0…d3] of the
 * output with element strides into the leaf (0 where broadcast): size-1 output dimensions
 * dropped, neighbours merged while the leaf stays contiguous (or broadcast) across them.
 * Null when more than 4 remain.
 */
export function leafPlan(from: readonly number[], to: readonly number[]): { dims: number[]; strides: number[] } | null {
  const r = to.length;
  const padded = [...new Array<number>(r - from.length).fill(1), ...from];
  const s0 = new Array<number>(r);
  let acc = 1;
  for (let d = r - 1; d >= 0; d--) {
    s0[d] = padded[d] === 1 ? 0 : acc;
    acc *= padded[d];
  }
  const dims: number[] = [];
  const strides: number[] = [];
  for (let d = 0; d < r; d++) {
    if (to[d] === 1) continue;
    const k = dims.length - 1;
    if (k >= 0 && strides[k] === s0[d] * to[d]) {
      dims[k] *= to[d];
      strides[k] = s0[d];
    } else {
      dims.push(to[d]);
      strides.push(s0[d]);
    }
  }
  if (dims.length > 4) return null;
  while (dims.length < 4) {
    dims.unshift(1);
    strides.unshift(0);
  }
  return { dims, strides };
}

/** Compiles `chain` into a {@link FusedProgram}; throws {@link Unsupported} for what it cannot run. */
function compile(chain: FusedChain): FusedProgram {
  const total = sizeOf(chain.shape);
  const instrs: Instr[] = [];
  const imms: ImmSource[] = [];
  const immKeys = new Map<string, number>();
  let vregs = 0;
  const imm = (key: string, source: ImmSource): Value => {
    let i = immKeys.get(key);
    if (i === undefined) {
      i = imms.length;
      imms.push(source);
      immKeys.set(key, i);
    }
    return { op: { kind: 'imm', i }, mask: false };
  };
  const literal = (v: number): Value =>
    imm(`n${Object.is(v, -0) ? '-0' : String(Math.fround(v))}`, { from: 'literal', value: v });
  const emit = (op: number, src: Value[], mask: boolean): Value => {
    const id = vregs++;
    instrs.push({ op, dst: id, src: src.map((s) => s.op) });
    return { op: { kind: 'v', id }, mask };
  };

  // the inputs: in place when they have the output's layout, an immediate when one cell
  const env = new Map<string, Value>();
  const leaves: LeafPlan[] = chain.leaves.map((l, k) => {
    const size = sizeOf(l.shape);
    if (size === total && sameTail(l.shape, chain.shape)) {
      env.set(l.name, { op: { kind: 'leaf', k }, mask: false });
      return { kind: 0, dims: [1, 1, 1, total], strides: [0, 0, 0, 1], imm: -1 };
    }
    if (size === 1) {
      const v = imm(`l${k}`, { from: 'leaf', k });
      env.set(l.name, v);
      return { kind: 2, dims: [1, 1, 1, 1], strides: [0, 0, 0, 0], imm: (v.op as { i: number }).i };
    }
    const p = leafPlan(l.shape, chain.shape);
    if (!p) throw new Unsupported(`input ${k} needs more than 4 broadcast dimensions`);
    const id = vregs++;
    instrs.push({ op: I.load, dst: id, src: [], leaf: k });
    env.set(l.name, { op: { kind: 'v', id }, mask: false });
    return { kind: 1, ...p, imm: -1 };
  });
  chain.scalars.forEach((name, j) => env.set(name, imm(`s${j}`, { from: 'scalar', arg: chain.leaves.length + j })));

  const num = (v: Value): Value => (v.mask ? emit(I.b2f, [v], false) : v);
  const cond = (v: Value): Value => (v.mask ? v : emit(I.truthy, [v], true));
  const value = (n: Node): Value => {
    switch (n.k) {
      case 'num':
        return literal(n.v);
      case 'ref': {
        const v = env.get(n.name);
        if (!v) throw new Unsupported(`unknown name ${n.name}`);
        return v;
      }
      case 'un': {
        const a = value(n.a);
        if (n.op === '!') return emit(I.not, [cond(a)], true);
        return emit(I.neg, [num(a)], false);
      }
      case 'bin': {
        const a = value(n.a);
        const b = value(n.b);
        if (n.op === '&&' || n.op === '||') {
          if (!a.mask || !b.mask) throw new Unsupported(`${n.op} of numbers`);
          return emit(n.op === '&&' ? I.and : I.or, [a, b], true);
        }
        const op = BINARY[n.op];
        if (op === undefined) throw new Unsupported(`operator ${n.op}`);
        if ((op === I.eq || op === I.ne) && (a.mask || b.mask)) throw new Unsupported('comparison of conditions');
        return emit(op, [num(a), num(b)], op >= I.lt);
      }
      case 'tern': {
        // `x != x ? x : e` (the ops' NaN guards for GLSL) is e itself when e is NaN for a NaN x
        const guarded = nanGuarded(n);
        if (guarded !== null && nanFrom(n.b, nanNames).has(guarded)) return value(n.b);
        const c = cond(value(n.c));
        let a = value(n.a);
        let b = value(n.b);
        if (a.mask !== b.mask) {
          a = num(a);
          b = num(b);
        }
        return emit(I.select, [c, a, b], a.mask);
      }
      case 'call': {
        const u = MATH_UNARY[n.fn];
        if (u !== undefined && n.args.length === 1) return emit(u, [num(value(n.args[0]))], false);
        // Math.pow only of magnitudes (as pow's code has it), where e^(b·ln a) is exact enough
        // and Math.pow's special cases reduce to b = 0 → 1
        if (n.fn === 'Math.pow' && n.args.length === 2 && n.args.every((x) => x.k === 'call' && x.fn === 'Math.abs'))
          return emit(I.pow, [num(value(n.args[0])), num(value(n.args[1]))], false);
        if ((n.fn === 'Math.max' || n.fn === 'Math.min') && n.args.length >= 2) {
          const op = n.fn === 'Math.max' ? I.max : I.min;
          return n.args.map((x) => num(value(x))).reduce((x, y) => emit(op, [x, y], false));
        }
        throw new Unsupported(`call of ${n.fn}`);
      }
    }
  };
  // the names whose NaN makes each statement NaN, for the guards above
  const nanNames = new Map<string, Set<string>>();
  for (const st of chain.statements) {
    const tree = parse(st.expr);
    env.set(st.name, value(tree));
    nanNames.set(st.name, nanFrom(tree, nanNames));
  }
  const root = num(env.get(chain.out) as Value);
  const last = instrs[instrs.length - 1];
  if (root.op.kind === 'v' && last && last.op !== I.load && last.dst === root.op.id) last.dst = OUT;
  else instrs.push({ op: I.mov, dst: OUT, src: [root.op] });
  const { code, regs } = allocate(instrs);
  return { leaves, code, imms, regs, total };
}

const ARITHMETIC = new Set(['+', '-', '*', '/']);
const NAN_FALSE = new Set(['<', '>', '<=', '>=', '==', '===']);
const NAN_TRUE = new Set(['!=', '!==']);
const NAN_CALLS = new Set([...Object.keys(MATH_UNARY), 'Math.max', 'Math.min']);

/** The name `x` when `n` is the guard `x != x ? x : …`, else null. */
function nanGuarded(n: Extract<Node, { k: 'tern' }>): string | null {
  const c = n.c;
  if (c.k !== 'bin' || !NAN_TRUE.has(c.op) || c.a.k !== 'ref' || c.b.k !== 'ref' || n.a.k !== 'ref') return null;
  return c.a.name === c.b.name && n.a.name === c.a.name ? c.a.name : null;
}

/**
 * The names whose NaN makes `n` NaN (IEEE arithmetic and the Math calls propagate it;
 * a select does when both arms do, or when its comparison decides for an arm that does).
 * `known` holds the sets of earlier statements.
 */
function nanFrom(n: Node, known: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  switch (n.k) {
    case 'num':
      return new Set();
    case 'ref':
      return new Set([n.name, ...(known.get(n.name) ?? [])]);
    case 'un':
      return n.op === '-' ? nanFrom(n.a, known) : new Set();
    case 'bin':
      return ARITHMETIC.has(n.op) ? new Set([...nanFrom(n.a, known), ...nanFrom(n.b, known)]) : new Set();
    case 'call':
      return NAN_CALLS.has(n.fn) ? new Set(n.args.flatMap((x) => [...nanFrom(x, known)])) : new Set();
    case 'tern': {
      const a = nanFrom(n.a, known);
      const b = nanFrom(n.b, known);
      const out = new Set([...a].filter((x) => b.has(x)));
      if (n.c.k === 'bin' && (NAN_FALSE.has(n.c.op) || NAN_TRUE.has(n.c.op))) {
        // a NaN operand makes the comparison false (true for !=): the select takes that arm
        const arm = NAN_FALSE.has(n.c.op) ? b : a;
        for (const x of [...nanFrom(n.c.a, known), ...nanFrom(n.c.b, known)]) if (arm.has(x)) out.add(x);
      }
      return out;
    }
  }
}

function sameTail(a: readonly number[], b: readonly number[]): boolean {
  if (a.length > b.length) return false;
  for (let k = 1; k <= a.length; k++) if (a[a.length - k] !== b[b.length - k]) return false;
  return true;
}

/**
 * Maps virtual registers to physical ones (a register is free again after its last read; a
 * destination may reuse a source's register, as every instruction is elementwise) and
 * encodes the instructions.
 */
function allocate(instrs: Instr[]): { code: Int32Array; regs: number } {
  const lastUse = new Map<number, number>();
  instrs.forEach((ins, i) => {
    for (const s of ins.src) if (s.kind === 'v') lastUse.set(s.id, i);
  });
  const phys = new Map<number, number>();
  const free: number[] = [];
  let regs = 0;
  const code = new Int32Array(instrs.length * PINSTR_WORDS);
  const encode = (s: Operand): number =>
    s.kind === 'v'
      ? (K_REG << 24) | (phys.get(s.id) as number)
      : s.kind === 'leaf'
        ? (K_LEAF << 24) | s.k
        : (K_IMM << 24) | s.i;
  instrs.forEach((ins, i) => {
    const w = i * PINSTR_WORDS;
    code[w] = ins.op;
    if (ins.op === I.load) code[w + 2] = ins.leaf as number;
    else ins.src.forEach((s, j) => (code[w + 2 + j] = encode(s)));
    for (const s of ins.src) {
      if (s.kind === 'v' && lastUse.get(s.id) === i && !free.includes(phys.get(s.id) as number))
        free.push(phys.get(s.id) as number);
    }
    if (ins.dst === OUT) {
      code[w + 1] = OUT;
      return;
    }
    free.sort((x, y) => y - x);
    const r = free.length ? (free.pop() as number) : regs++;
    if (regs > MAX_REGS) throw new Unsupported(`more than ${MAX_REGS} registers`);
    phys.set(ins.dst, r);
    code[w + 1] = r;
    // a value nobody reads frees its register at once
    if (!lastUse.has(ins.dst)) free.push(r);
  });
  return { code, regs };
}

// ---------------------------------------------------------------------------------------
// The chains' sources: one per distinct chain, the same string object each time.

const programs: FusedProgram[] = [];
/** Compiled (or refused: id null) chains by a hash of their text, each bucket checked in full. */
const byHash = new Map<number, Array<{ chain: FusedChain; id: number | null }>>();

/**
 * The number of the native program for `chain` (see {@link fusedProgramAt}), or null when
 * the chain holds something this compiler does not run. Memoised per chain, so a training
 * loop parses each of its chains once; the lookup hashes the chain's text and compares it
 * with what is stored, without building a key string (this runs on every realisation).
 */
export function fusedProgram(chain: FusedChain): number | null {
  const h = hashChain(chain);
  let bucket = byHash.get(h);
  if (bucket) {
    for (const e of bucket) if (sameChain(e.chain, chain)) return e.id;
  } else {
    bucket = [];
    byHash.set(h, bucket);
  }
  let id: number | null;
  try {
    programs.push(compile(chain));
    id = programs.length - 1;
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    id = null;
  }
  bucket.push({ chain, id });
  return id;
}

function hashText(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

function hashShape(h: number, shape: readonly number[]): number {
  for (const d of shape) h = Math.imul(h ^ d, 16777619);
  return Math.imul(h ^ 0x7fffffff, 16777619);
}

// FNV-1a over the chain's shapes, names and expressions
function hashChain(c: FusedChain): number {
  let h = hashShape(2166136261, c.shape);
  for (const l of c.leaves) h = hashShape(h, l.shape);
  h = Math.imul(h ^ c.scalars.length, 16777619);
  h = hashText(h, c.out);
  for (const st of c.statements) h = hashText(hashText(h, st.name), st.expr);
  return h;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameChain(a: FusedChain, b: FusedChain): boolean {
  if (a.out !== b.out || a.scalars.length !== b.scalars.length || !sameShape(a.shape, b.shape)) return false;
  if (a.leaves.length !== b.leaves.length || a.statements.length !== b.statements.length) return false;
  for (let k = 0; k < a.leaves.length; k++) if (!sameShape(a.leaves[k].shape, b.leaves[k].shape)) return false;
  for (let k = 0; k < a.statements.length; k++) {
    if (a.statements[k].name !== b.statements[k].name || a.statements[k].expr !== b.statements[k].expr) return false;
  }
  return true;
}

const transposes = new Map<string, number | null>();

/**
 * The number of a program that writes `x` (of shape `shape`) with its axes permuted by `perm`:
 * one gathering load (the output's dimensions read with the input's strides, permuted) and a
 * move to the output. Null when more than 4 dimensions remain after merging neighbours that
 * stay in order, or when the output is empty.
 */
export function transposeProgram(shape: readonly number[], perm: readonly number[]): number | null {
  const key = `${shape}|${perm}`;
  let id = transposes.get(key);
  if (id !== undefined) return id;
  const inStrides = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    inStrides[d] = acc;
    acc *= shape[d];
  }
  const outShape = perm.map((p) => shape[p]);
  const total = sizeOf(outShape);
  const dims: number[] = [];
  const strides: number[] = [];
  perm.forEach((p, d) => {
    if (outShape[d] === 1) return;
    const k = dims.length - 1;
    if (k >= 0 && strides[k] === inStrides[p] * outShape[d]) {
      dims[k] *= outShape[d];
      strides[k] = inStrides[p];
    } else {
      dims.push(outShape[d]);
      strides.push(inStrides[p]);
    }
  });
  if (dims.length > 4 || total === 0) id = null;
  else {
    while (dims.length < 4) {
      dims.unshift(1);
      strides.unshift(0);
    }
    const code = new Int32Array(2 * PINSTR_WORDS);
    code[0] = I.load;
    code[1] = 0;
    code[2] = 0;
    code[PINSTR_WORDS] = I.mov;
    code[PINSTR_WORDS + 1] = OUT;
    code[PINSTR_WORDS + 2] = (K_REG << 24) | 0;
    programs.push({ leaves: [{ kind: 1, dims, strides, imm: -1 }], code, imms: [], regs: 1, total });
    id = programs.length - 1;
  }
  transposes.set(key, id);
  return id;
}

/** The compiled program number `id` (from a source made by {@link fusedProgram}). */
export function fusedProgramAt(id: number): FusedProgram {
  return programs[id];
}

// ---------------------------------------------------------------------------------------
// Running

/** Scratch registers shared by every program of one runtime, grown on demand. */
export class ProgramScratch {
  ptr = -1;
  perThread = 0;
  constructor(private readonly rt: WasmRuntime) {}

  /** Makes room for `bytes` per thread; true when the block was (re)allocated. */
  ensure(bytes: number): boolean {
    if (bytes <= this.perThread) return false;
    if (this.ptr >= 0) this.rt.free(this.ptr);
    this.perThread = bytes;
    this.ptr = this.rt.alloc((bytes * this.rt.threads) / 4);
    return true;
  }
}

/**
 * A runner for program `p` on `rt`: its block (header, inputs, code, immediates) is written
 * once; a call writes the input and output addresses and the scalar immediates, then runs
 * the kernel over the output, split over threads above the elementwise threshold.
 * Returns the call, and the block's address (freed with the runtime).
 */
export function programRunner(
  rt: WasmRuntime,
  p: FusedProgram,
  scratch: ProgramScratch,
): { ptr: number; run: (args: readonly unknown[], out: number) => void } {
  const nLeaves = p.leaves.length;
  const codeAt = PH_LEAVES + nLeaves * PLEAF_WORDS;
  const immAt = (codeAt + p.code.length + 3) & ~3;
  const words = immAt + 4 * p.imms.length;
  const ptr = rt.alloc(words);
  const base = ptr >>> 2;
  let f32 = rt.f32();
  let i32 = new Int32Array(f32.buffer);
  const views = (): void => {
    const f = rt.f32();
    if (f !== f32) {
      f32 = f;
      i32 = new Int32Array(f.buffer);
    }
  };
  views();
  i32[base] = p.code.length / PINSTR_WORDS;
  i32[base + 1] = nLeaves;
  i32[base + 5] = p.regs;
  i32[base + 6] = rt.threads;
  i32[base + 7] = (base + immAt) << 2;
  p.leaves.forEach((l, k) => {
    const w = base + PH_LEAVES + k * PLEAF_WORDS;
    i32[w + 1] = l.kind;
    for (let d = 0; d < 4; d++) {
      i32[w + 2 + d] = l.dims[d];
      i32[w + 6 + d] = l.strides[d];
    }
  });
  i32.set(p.code, base + codeAt);
  p.imms.forEach((s, i) => {
    if (s.from === 'literal') f32.fill(s.value, base + immAt + 4 * i, base + immAt + 4 * i + 4);
  });
  const perThread = (p.regs + nLeaves + 1) * PBLOCK * 4;
  return {
    ptr,
    run(args: readonly unknown[], out: number): void {
      scratch.ensure(perThread);
      views();
      i32[base + 2] = scratch.ptr;
      i32[base + 3] = scratch.perThread;
      i32[base + 4] = out;
      for (let k = 0; k < nLeaves; k++) i32[base + PH_LEAVES + k * PLEAF_WORDS] = (args[k] as { ptr: number }).ptr;
      for (let i = 0; i < p.imms.length; i++) {
        const s = p.imms[i];
        if (s.from === 'literal') continue;
        const v = s.from === 'scalar' ? (args[s.arg] as number) : f32[(args[s.k] as { ptr: number }).ptr >>> 2];
        const at = base + immAt + 4 * i;
        f32[at] = v;
        f32[at + 1] = v;
        f32[at + 2] = v;
        f32[at + 3] = v;
      }
      rt.program(ptr, p.total, PBLOCK);
    },
  };
}
