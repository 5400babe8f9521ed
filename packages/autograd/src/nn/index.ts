export { Module } from './module.js';
export { Linear, type LinearOptions } from './linear.js';
export { ReLU, LeakyReLU, Sigmoid, Tanh, Softplus } from './activations.js';
export { Dropout } from './dropout.js';
export { Sequential, mlp, type MlpOptions } from './sequential.js';
