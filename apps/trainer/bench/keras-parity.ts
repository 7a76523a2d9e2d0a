/**
 * Training parity with Keras: from one initial state, written by Keras in its HDF5 weights layout
 * and loaded with @trainbook/model's loadKerasWeights, both train the seed model (block1–4 frozen,
 * rmsprop, batch 64, x / 255) on the same first images in the same order, and this prints the
 * first losses side by side. Step 1's loss is before any update (same weights, same images):
 * it says the forward agrees; later steps add the optimizer. Not a test: Keras is not part of
 * the install (see bench/keras.ts for how to get it).
 *
 *   KERAS_PYTHON=/path/to/venv/bin/python pnpm --filter @trainbook/trainer exec tsx bench/keras-parity.ts
 *     [--steps 20] [--paths cache,whole]   cache: fit as pnpm train runs it (frozen features on
 *     onnx, cached); whole: the whole model on tfjs each batch (no ONNX Runtime)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  buildTransferModel,
  buildVgg16Base,
  fitTransferModel,
  imagesInMemory,
  loadKerasWeights,
  selectBackend,
} from '@trainbook/model';
import { loadCifar10 } from '../src/data/load-cifar10.js';
import { sharedDataDir } from '../src/data/testing/shared-data.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '20' },
    paths: { type: 'string', default: 'cache,whole' },
  },
});
const steps = Number(values.steps);
const batch = 64;
const python = process.env.KERAS_PYTHON ?? 'python3';
const archive = join(
  sharedDataDir(process.env.TRAINBOOK_SHARED_DATA),
  'cifar-10-binary-10k.tar.gz',
);

async function keras(dir: string): Promise<{ losses: number[]; config: unknown }> {
  const script = fileURLToPath(new URL('./keras_parity.py', import.meta.url));
  const args = [script, join(dir, 'images.u8'), join(dir, 'labels.u8'), String(steps)];
  const child = spawn(python, [...args, String(batch), join(dir, 'init.h5')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  if (code !== 0) throw new Error(`keras_parity.py exited with ${code}`);
  const lines = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { event: string; loss?: number });
  return {
    losses: lines.filter((l) => l.event === 'step').map((l) => l.loss!),
    config: lines.find((l) => l.event === 'config'),
  };
}

async function trainbook(
  dir: string,
  images: Uint8Array,
  labels: Uint8Array,
  path: 'cache' | 'whole',
): Promise<number[]> {
  const transfer = buildTransferModel({ base: buildVgg16Base() });
  await loadKerasWeights(transfer.model, join(dir, 'init.h5'));
  const losses: number[] = [];
  await fitTransferModel(transfer, {
    train: imagesInMemory(images, labels),
    epochs: 1,
    batchSize: batch,
    shuffle: false,
    preprocessing: 'unit',
    ...(path === 'whole' ? { featureCache: 'off' as const, frozenEngine: 'tfjs' as const } : {}),
    callbacks: {
      onBatchEnd: (_at, logs) => {
        losses.push(logs.loss);
        return undefined;
      },
    },
  });
  return losses;
}

async function main() {
  const backend = await selectBackend('auto');
  const data = await loadCifar10({ data: archive });
  const images = data.train.images.subarray(0, steps * batch * 32 * 32 * 3);
  const labels = data.train.labels.subarray(0, steps * batch);
  const dir = await mkdtemp(join(tmpdir(), 'trainbook-keras-parity-'));
  try {
    await writeFile(join(dir, 'images.u8'), images);
    await writeFile(join(dir, 'labels.u8'), labels);
    const k = await keras(dir);
    const paths = values.paths.split(',') as Array<'cache' | 'whole'>;
    const ours: Record<string, number[]> = {};
    for (const path of paths) ours[path] = await trainbook(dir, images, labels, path);
    console.log(
      `first ${steps} batches of ${batch}, ${archive}, one initial state from Keras; tfjs ${backend.backend}; load average ${loadavg()[0]!.toFixed(1)}`,
    );
    console.log(`Keras: ${JSON.stringify(k.config)}`);
    console.log(`step  Keras loss  ${paths.map((p) => `${p.padEnd(10)}  rel. diff `).join('  ')}`);
    for (let i = 0; i < steps; i++) {
      const cells = paths.map((p) => {
        const v = ours[p]![i]!;
        const diff = Math.abs(v - k.losses[i]!) / Math.abs(k.losses[i]!);
        return `${v.toFixed(6).padEnd(10)}  ${diff.toExponential(1).padEnd(10)}`;
      });
      console.log(
        `${String(i + 1).padEnd(6)}${k.losses[i]!.toFixed(6).padEnd(12)}${cells.join('  ')}`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
