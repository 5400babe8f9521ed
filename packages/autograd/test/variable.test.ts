import * as T from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import * as A from '../src/index.js';

beforeAll(() => {
  T.setBackend('cpu');
});

describe('Variable and backward', () => {
  it('reduces gradients through broadcasting back to each input shape', () => {
    const a = new A.Parameter(
      T.tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    const b = new A.Parameter(T.tensor([10, 20, 30]));
    const c = new A.Parameter(T.tensor([[2], [3]]));
    A.tidy(() => A.sum(A.mul(A.add(a, b), c)).backward());
    expect(a.grad!.arraySync()).toEqual([
      [2, 2, 2],
      [3, 3, 3],
    ]);
    expect(b.grad!.arraySync()).toEqual([5, 5, 5]);
    expect(c.grad!.arraySync()).toEqual([[66], [75]]);
  });

  it('accumulates parameter gradients across backward calls until zeroGrad', () => {
    const p = new A.Parameter(T.tensor([1, -2]));
    A.tidy(() => A.sum(A.square(p)).backward());
    A.tidy(() => A.sum(A.square(p)).backward());
    expect(p.grad!.arraySync()).toEqual([4, -8]);
    p.zeroGrad();
    expect(p.grad).toBeNull();
  });

  it('adds the gradients of a node used twice', () => {
    const p = new A.Parameter(T.tensor([3]));
    A.tidy(() => A.sum(A.add(A.mul(p, p), p)).backward());
    expect(p.grad!.arraySync()).toEqual([7]);
  });

  it('follows the subgradient convention sign′ = 0, relu′(0) = 0, |x|′(0) = 0', () => {
    const p = new A.Parameter(T.tensor([-1, 0, 2]));
    A.tidy(() => A.sum(A.add(A.add(A.relu(p), A.abs(p)), A.sign(p))).backward());
    expect(p.grad!.arraySync()).toEqual([-1, 0, 2]);
  });

  it('isLeaf is true for nodes backward() stops at (parameters, constants, released or gradient-free results), false for recorded ops', () => {
    const p = new A.Parameter(T.tensor([1, 2]));
    const y = A.mul(p, 3);
    const loss = A.sum(y);
    expect([p.isLeaf, A.variable(T.tensor([1])).isLeaf, y.isLeaf, loss.isLeaf]).toEqual([true, true, false, false]);
    expect(A.noGrad(() => A.mul(p, 3)).isLeaf).toBe(true);
    expect(A.mul(T.tensor([1, 2]), 3).isLeaf).toBe(true);
    loss.backward();
    expect([y.isLeaf, loss.isLeaf]).toEqual([true, true]);
    expect(p.grad!.arraySync()).toEqual([3, 3]);
  });

  it('records nothing inside noGrad', () => {
    const p = new A.Parameter(T.tensor([1, 2]));
    const y = A.noGrad(() => A.mul(p, 2));
    expect(y.requiresGrad).toBe(false);
    expect(A.isGradEnabled()).toBe(true);
    expect(() => y.backward()).toThrow(T.ValueError);
    y.dispose();
  });

  it('treats plain tensors as constants', () => {
    const p = new A.Parameter(T.tensor([1, 2]));
    const c = T.tensor([5, 7]);
    A.tidy(() => A.sum(A.mul(p, c)).backward());
    expect(p.grad!.arraySync()).toEqual([5, 7]);
    expect(c.isDisposed).toBe(false);
  });

  it('takes a gradOutput for non-scalar outputs and rejects a missing or misshapen one', () => {
    const p = new A.Parameter(T.tensor([1, 2, 3]));
    const y = A.mul(p, 3);
    expect(() => y.backward()).toThrow(/gradOutput is needed/);
    expect(() => y.backward(T.tensor([1, 2]))).toThrow(T.ShapeError);
    y.backward(T.tensor([1, 0, -1]));
    expect(p.grad!.arraySync()).toEqual([3, 0, -3]);
  });

  it('says why a released graph cannot be reused', () => {
    const p = new A.Parameter(T.tensor([1, 2]));
    const y = A.square(p);
    const l = A.sum(y);
    l.backward();
    expect(() => A.sum(y).backward()).toThrow(/already released/);
  });

  // Issue 8, item 2: a second backward() through a shared graph used to be dropped silently.
  describe('a second backward() through a shared graph', () => {
    const setup = () => {
      const model = new A.Linear(2, 1, { bias: false, seed: 1 });
      model.weight.assign(T.tensor([[0.5, -0.25]]));
      const x = T.tensor([[1, 2]]);
      const h = model.forward(x);
      const la = A.sum(h);
      const lb = A.sum(A.mul(h, 2));
      return { model, h, la, lb };
    };

    it('throws, naming the released graph, instead of dropping the gradient', () => {
      const { model, la, lb } = setup();
      la.backward();
      expect(model.weight.grad!.arraySync()).toEqual([[1, 2]]);
      expect(() => lb.backward()).toThrow(T.ValueError);
      expect(() => lb.backward()).toThrow(/backward: .*earlier backward\(\) released.*retainGraph/);
      // The rejected call changed nothing.
      expect(model.weight.grad!.arraySync()).toEqual([[1, 2]]);
    });

    it('accumulates the full gradient [3, 6] with { retainGraph: true }, as one backward of la + lb does', () => {
      const { model, la, lb } = setup();
      la.backward({ retainGraph: true });
      lb.backward();
      expect(model.weight.grad!.arraySync()).toEqual([[3, 6]]);
      const other = setup();
      A.add(other.la, other.lb).backward();
      expect(other.model.weight.grad!.arraySync()).toEqual([[3, 6]]);
    });

    it('throws on backward() twice on the same loss, leaving .grad as it was', () => {
      const { model, la } = setup();
      la.backward();
      expect(() => la.backward()).toThrow(/backward: backward\(\) was already called on this sum node/);
      expect(model.weight.grad!.arraySync()).toEqual([[1, 2]]);
    });

    it('retainGraph lets the same loss be backpropagated twice (gradients add)', () => {
      const { model, la } = setup();
      la.backward({ retainGraph: true });
      la.backward();
      expect(model.weight.grad!.arraySync()).toEqual([[2, 4]]);
    });

    it('rejects unknown backward options and a non-boolean retainGraph', () => {
      const { model, la } = setup();
      expect(() => la.backward({ retain_graph: true } as never)).toThrow(/backward: unknown option 'retain_graph'/);
      expect(() => la.backward({ retainGraph: 1 } as never)).toThrow(/retainGraph must be true or false/);
      expect(model.weight.grad).toBeNull();
    });
  });

  it('Parameter.assign rejects another shape and keeps the old value', () => {
    const p = new A.Parameter(T.tensor([1, 2]));
    expect(() => p.assign(T.tensor([1, 2, 3]))).toThrow(/Parameter.assign: value must have shape \[2\], got \[3\]/);
    expect(p.value.arraySync()).toEqual([1, 2]);
  });

  it('names the op and the argument on bad input', () => {
    expect(() => A.add('x' as unknown as T.Tensor, T.tensor([1]))).toThrow(
      /add: input 0 must be a Variable or a Tensor, got string/,
    );
    expect(() => A.add(1, 2)).toThrow(T.ValueError);
  });

  it('tidy keeps the values of returned variables and frees the rest', () => {
    const before = T.memory().liveTensors;
    const x = T.tensor([1, 2]);
    const y = A.tidy(() => A.exp(A.mul(x, 2)));
    expect(T.memory().liveTensors).toBe(before + 2);
    y.dispose();
    x.dispose();
    expect(T.memory().liveTensors).toBe(before);
  });

  it('unbroadcast sums over broadcast axes', () => {
    const g = T.ones([2, 3, 4]);
    expect(A.unbroadcast(g, [3, 1]).arraySync()).toEqual([[8], [8], [8]]);
    expect(A.unbroadcast(g, []).arraySync()).toEqual(24);
  });
});
