import * as sk from '@sparsekit/tensor';
sk.setBackend('webasm');
const X = sk.tensor(new Float32Array(8).fill(1), [8]);
let t = sk.sub(sk.relu(sk.add(sk.mul(X, 2), 1)), 0.5); t = sk.div(1, sk.add(sk.exp(sk.neg(t)), 1));
const y = sk.sub(sk.mul(sk.square(t), 3), 1);
y.dataSync();
const s = sk.getBackend();
console.log(s);
