// Run as a child process by backend.test.ts: starts threaded wasm, does some math, and must then
// exit on its own (no process.exit) — the pool's worker threads must not keep it alive.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend.js';

const selection = await selectBackend('wasm', { wasmThreads: Number(process.argv[2] ?? 2) });
const x = tf.randomNormal([8, 32, 32, 64]) as tf.Tensor4D;
const w = tf.randomNormal([3, 3, 64, 64]) as tf.Tensor4D;
const y = tf.conv2d(x, w, 1, 'same');
await y.data();
console.log(JSON.stringify({ backend: selection.backend, threads: selection.threads }));
