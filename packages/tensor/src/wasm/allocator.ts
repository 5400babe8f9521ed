/**
 * First-fit free-list allocator over the byte range of one `WebAssembly.Memory`, for the
 * `wasm` backend's resident tensors. Blocks are 64-byte aligned (a cache line, and every
 * v128 access aligned); freed blocks coalesce with their neighbours; when no free block fits,
 * the memory grows by whole pages and the top free block absorbs the new space.
 * @internal
 */
export class WasmAllocator {
  /** Free blocks sorted by offset: [offset, bytes] pairs. */
  private readonly free: Array<[number, number]> = [];
  /** Bytes of every live block by its offset. */
  private readonly live = new Map<number, number>();
  /** End of the managed range (the memory's size). */
  private top: number;
  /** How many times this allocator grew the memory (views over it are refreshed when it changes). */
  growths = 0;

  /**
   * @param memory the memory to carve
   * @param base first managed byte (below it: the kernels' static data)
   * @param maxBytes the most the memory may grow to
   */
  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
    private readonly maxBytes: number,
  ) {
    this.top = memory.buffer.byteLength;
    if (this.top > base) this.free.push([base, this.top - base]);
    else this.top = base;
  }

  static readonly ALIGN = 64;

  /** Bytes held by live blocks. */
  get bytesInUse(): number {
    let s = 0;
    for (const b of this.live.values()) s += b;
    return s;
  }

  /** Number of live blocks. */
  get blocks(): number {
    return this.live.size;
  }

  /** Offset of a new block of at least `bytes` bytes (0 bytes gets a real, aligned block). */
  alloc(bytes: number): number {
    const size = Math.max(WasmAllocator.ALIGN, Math.ceil(bytes / WasmAllocator.ALIGN) * WasmAllocator.ALIGN);
    for (let i = 0; i < this.free.length; i++) {
      const [off, len] = this.free[i];
      if (len < size) continue;
      if (len === size) this.free.splice(i, 1);
      else this.free[i] = [off + size, len - size];
      this.live.set(off, size);
      return off;
    }
    this.grow(size);
    return this.alloc(bytes);
  }

  /** Returns a block; freeing an offset that is not live throws (a double free is a bug). */
  release(offset: number): void {
    const size = this.live.get(offset);
    if (size === undefined) throw new Error(`wasm allocator: ${offset} is not a live block`);
    this.live.delete(offset);
    let i = 0;
    while (i < this.free.length && this.free[i][0] < offset) i++;
    this.free.splice(i, 0, [offset, size]);
    // merge with the next block, then with the previous one
    if (i + 1 < this.free.length && offset + size === this.free[i + 1][0]) {
      this.free[i][1] += this.free[i + 1][1];
      this.free.splice(i + 1, 1);
    }
    if (i > 0 && this.free[i - 1][0] + this.free[i - 1][1] === offset) {
      this.free[i - 1][1] += this.free[i][1];
      this.free.splice(i, 1);
    }
  }

  private grow(size: number): void {
    const last = this.free[this.free.length - 1];
    const tail = last && last[0] + last[1] === this.top ? last[1] : 0;
    const need = size - tail;
    // at least double (amortised growth), never past the maximum
    const want = Math.max(need, Math.min(this.top, this.maxBytes - this.top));
    const pages = Math.ceil(want / 65536);
    if (this.top + pages * 65536 > this.maxBytes || need + this.top > this.maxBytes) {
      throw new RangeError(
        `wasm memory exhausted: ${size} more bytes needed beyond ${this.top} of at most ${this.maxBytes}`,
      );
    }
    this.memory.grow(pages);
    this.growths++;
    const added = pages * 65536;
    if (tail) last[1] += added;
    else this.free.push([this.top, added]);
    this.top += added;
  }
}
