export { LeakyReLU, ReLU, Sigmoid, Softplus, Tanh } from './activations.js';
export { Dropout } from './dropout.js';
export { Linear, type LinearOptions } from './linear.js';
export { Module } from './module.js';
export { type MlpOptions, mlp, Sequential } from './sequential.js';
