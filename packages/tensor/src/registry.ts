/**
 * Process-wide state shared by every loaded copy of this package. A Node process can load
 * the ESM and the CJS build side by side (one dependency `import`s, another `require`s), and
 * a bundle can hold two copies after independent releases; with module-level state each copy
 * would get its own backend, tidy scopes and memory counters, and tensors from one could not
 * be used by the other. Keying the state on `globalThis` by a `Symbol.for` gives one backend
 * and one memory count per realm. The key carries a layout version: a future copy that
 * changes the shape of this state takes a new key instead of misreading an old one.
 * @internal
 */
const REGISTRY_KEY = Symbol.for('sparsekit.tensor.registry.v1');

type Slots = Record<string, unknown>;

function slots(): Slots {
  const g = globalThis as unknown as Record<symbol, Slots | undefined>;
  let r = g[REGISTRY_KEY];
  if (!r) {
    r = Object.create(null) as Slots;
    // Non-enumerable and fixed: the registry is not part of any global a user iterates or replaces.
    Object.defineProperty(globalThis, REGISTRY_KEY, {
      value: r,
      enumerable: false,
      writable: false,
      configurable: false,
    });
  }
  return r;
}

/** The shared slot `name`, created by `init` by whichever copy asks first. @internal */
export function shared<T>(name: string, init: () => T): T {
  const r = slots();
  if (!(name in r)) r[name] = init();
  return r[name] as T;
}
