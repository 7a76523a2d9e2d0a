// One wasm thread count per process (the module starts once): bench.ts runs this to set the
// threaded forward rate beside a single-threaded one. Prints { threads, forward } as JSON.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend.js';
import { buildVgg16Base } from '../src/vgg16.js';
import { imagesPerSecond } from './measure.js';

const [threads, seconds, batch] = process.argv.slice(2).map(Number) as [number, number, number];
const selection = await selectBackend('wasm', { wasmThreads: threads });
const base = buildVgg16Base();
const x = tf.randomUniform([batch, 32, 32, 3], -120, 120);
const forward = await imagesPerSecond(
  async () => {
    const y = base.predict(x, { batchSize: batch }) as tf.Tensor;
    await y.data();
    y.dispose();
  },
  batch,
  seconds,
);
console.log(JSON.stringify({ threads: selection.threads, forward }));
