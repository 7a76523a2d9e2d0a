/**
 * `pnpm bench`: VGG16 transfer-learning throughput at batch 64, 32×32 inputs, block1–4 frozen,
 * on each tfjs backend this machine has, beside PyTorch (same threads) when it is installed.
 *   images/s: forward through the base · training (whole model) · building the feature cache ·
 *   training on cached features;  GFLOP/s: a 1024³ GEMM (the ceiling), the whole-base forward
 *   as a share of it, and per conv shape the forward and both backprop kernels.
 *   Frozen layers (block1–4): forward on tfjs and on ONNX Runtime beside torch's (measured
 *   right after onnx's), in images/s and per CPU-second (robust to other jobs on the machine),
 *   each engine's error against exact float64 values, the whole cache build on each engine,
 *   one epoch on each frozen path (see bench/frozen.ts).
 * Env: BENCH_SECONDS (per measure, default 2), BENCH_THREADS (default: cores, ≤ 8),
 *   BENCH_IMAGES (cache build and epochs, default 640), BENCH_ONLY=frozen (skip the rest).
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { type BackendChoice, selectBackend } from '../src/backend.js';
import { makeOptimizer } from '../src/optimizer.js';
import { buildTransferModel } from '../src/transfer.js';
import { buildVgg16Base } from '../src/vgg16.js';
import { type FrozenFigures, frozenFigures } from './frozen.js';
import {
  convKernels,
  gemmGflops,
  gemmLabel,
  imagesPerSecond,
  optimizerStepMs,
  vgg16ForwardFlops,
} from './measure.js';
import { startTorch, type Torch } from './torch.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const threads = Number(process.env.BENCH_THREADS ?? Math.min(availableParallelism(), 8));
const batch = 64;
const measures = ['forward', 'train', 'cache', 'cached_train'] as const;
type Rates = Partial<Record<(typeof measures)[number], number>>;
const labels = {
  forward: 'forward (base)',
  train: 'train, block1-4 frozen',
  cache: 'build feature cache',
  cached_train: 'train on cached features',
};
const convShapes = [
  { side: 16, cin: 128, cout: 128 },
  { side: 8, cin: 256, cout: 256 },
  // block4's last convs at 32×32 inputs (trained when trainableFrom is in block4).
  { side: 4, cin: 512, cout: 512 },
  // block5 at 32×32 inputs: the convs that train, in the dense form (images < filter).
  { side: 2, cin: 512, cout: 512 },
];

/** `after(m)` runs right after each tfjs measure: the PyTorch twin, under the same load. */
async function tfjsRates(
  n: number,
  after: (m: (typeof measures)[number]) => Promise<void>,
): Promise<Rates> {
  const base = buildVgg16Base();
  const transfer = buildTransferModel({ base });
  const x = tf.randomUniform([n, 32, 32, 3], -120, 120);
  const y = tf.oneHot(tf.randomUniform([n], 0, 10, 'int32') as tf.Tensor1D, 10).toFloat();
  const predict = (model: tf.LayersModel, input: tf.Tensor) => async () => {
    const out = model.predict(input, { batchSize: n }) as tf.Tensor;
    await out.data();
    out.dispose();
  };
  const features = transfer.frozenPrefix!.predict(x, { batchSize: n }) as tf.Tensor;
  const steps = {
    forward: predict(base, x),
    train: () => transfer.model.trainOnBatch(x, y),
    cache: predict(transfer.frozenPrefix!, x),
    cached_train: () => transfer.trainableSuffix.trainOnBatch(features, y),
  };
  const rates: Rates = {};
  for (const m of measures) {
    rates[m] = await imagesPerSecond(steps[m], n, seconds);
    await after(m);
  }
  // Optimizer slots are made on first use; after that, a step must leave nothing behind.
  const settled = tf.memory().numTensors;
  for (const m of measures) await steps[m]();
  const leaked = tf.memory().numTensors - settled;
  if (leaked !== 0) console.log(`  !! ${leaked} tensors leaked by one round of steps`);
  tf.dispose([x, y, features]);
  return rates;
}

/** A child process, since a process's wasm module keeps the thread count it started with. */
function singleThreadForward(): number | undefined {
  const script = fileURLToPath(new URL('./forward-child.ts', import.meta.url));
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', script, '1', String(seconds), String(batch)],
    {
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) {
    console.log(`single-thread wasm run failed: ${run.stderr.trim().split('\n').at(-1)}`);
    return undefined;
  }
  return (JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { forward: number }).forward;
}

const fmt = (v: number | undefined, digits = 0) =>
  v == null ? '—' : v.toFixed(v < 10 && digits === 0 ? 2 : digits);
const pad = (s: string, n: number) => s.padEnd(n);

interface TorchFigures {
  name: string;
  rates: Rates;
  conv: Record<string, number>;
}

async function main() {
  console.log(`VGG16 @ 32×32, batch ${batch}, ${threads} threads, ~${seconds}s per measure`);
  // Figures are only comparable on an idle machine: say how busy it was.
  console.log(
    `load average at start: ${loadavg()[0]!.toFixed(1)} (cores: ${availableParallelism()})\n`,
  );
  const torch = await startTorch(threads, batch, seconds);
  if (typeof torch === 'string') console.log(`${torch}\n`);
  let torchFigures: TorchFigures | null = null;
  const rows: Array<{ name: string; rates: Rates; conv?: Record<string, number> }> = [];
  let optimizerLine: string | null = null;
  let frozen: FrozenFigures | null = null;
  const only = process.env.BENCH_ONLY;
  try {
    for (const choice of ['tensorflow', 'wasm', 'cpu'] as BackendChoice[]) {
      let selection: Awaited<ReturnType<typeof selectBackend>>;
      try {
        selection = await selectBackend(choice, { wasmThreads: threads });
      } catch (error) {
        console.log(`${choice}: not available (${(error as Error).message.split(';')[0]})`);
        continue;
      }
      if (selection.backend === 'wasm') {
        frozen = await frozenFigures({
          batch,
          seconds,
          threads,
          images: Number(process.env.BENCH_IMAGES ?? 640),
          torch: typeof torch === 'string' ? undefined : torch,
        });
      }
      if (only === 'frozen') {
        break;
      }
      if (choice === 'cpu') {
        // Plain-JS kernels: one tiny batch is enough to show the gap, and all the time allows.
        const base = buildVgg16Base();
        const x = tf.randomUniform([2, 32, 32, 3], -120, 120);
        const forward = await imagesPerSecond(
          async () => void (await (base.predict(x) as tf.Tensor).data()),
          2,
          0,
        );
        rows.push({ name: 'tfjs cpu (batch 2)', rates: { forward } });
        continue;
      }
      const name = `tfjs ${selection.backend}${selection.threads ? ` ×${selection.threads}` : ''}`;
      // PyTorch is measured once, interleaved with the first backend that runs everything.
      const twinOf: Torch | null = typeof torch !== 'string' && torchFigures == null ? torch : null;
      const twin: TorchFigures | null = twinOf
        ? { name: `torch ${twinOf.version} ×${twinOf.threads}`, rates: {}, conv: {} }
        : null;
      const conv: Record<string, number> = { [gemmLabel]: await gemmGflops(seconds / 2) };
      for (const shape of convShapes) {
        const figures = await convKernels(shape, batch, seconds / 2);
        for (const [kernel, value] of Object.entries(figures)) {
          conv[`${kernel} ${shape.side}x${shape.side}x${shape.cin}->${shape.cout}`] = value;
        }
      }
      if (twin && twinOf) twin.conv = await twinOf.conv();
      const rates = await tfjsRates(batch, async (m) => {
        if (twin && twinOf) twin.rates[m] = await twinOf.measure(m);
      });
      rows.push({ name, rates, conv });
      if (selection.backend === 'wasm') {
        const stock = await optimizerStepMs(tf.train.rmsprop(0.001, 0.9, 0, 1e-7), seconds / 2);
        const ours = await optimizerStepMs(makeOptimizer({ name: 'rmsprop' }), seconds / 2);
        optimizerLine = `RMSProp step, block5 + head (8.1M weights), ${name}: stock ${fmt(stock, 1)} ms, fused ${fmt(ours, 1)} ms (${fmt(stock / ours, 1)}×)`;
      }
      if (selection.backend === 'wasm' && threads > 1) {
        rows.push({ name: 'tfjs wasm ×1', rates: { forward: singleThreadForward() } });
      }
      if (twin) torchFigures = twin;
    }
  } finally {
    if (typeof torch !== 'string') torch.close();
  }
  if (torchFigures) rows.push(torchFigures);
  if (only !== 'frozen') {
    printRates(rows, torchFigures);
    printGflops(rows, torchFigures);
  }
  if (frozen) printFrozen(frozen);
  if (optimizerLine) console.log(`\n${optimizerLine}`);
  console.log(`\nload average at end: ${loadavg()[0]!.toFixed(1)}`);
}

function printRates(rows: Array<{ name: string; rates: Rates }>, torch: TorchFigures | null) {
  console.log(
    `\nimages/s            ${measures.map((m) => pad(labels[m], 26)).join('')}cached÷uncached epoch`,
  );
  for (const { name, rates } of rows) {
    const speedup =
      rates.cached_train && rates.train ? `${(rates.cached_train / rates.train).toFixed(1)}×` : '—';
    console.log(
      `${pad(name, 20)}${measures.map((m) => pad(fmt(rates[m]), 26)).join('')}${speedup}`,
    );
  }
  if (!torch) return;
  for (const { name, rates } of rows.filter((r) => r.name.startsWith('tfjs') && r.rates.train)) {
    const ratios = measures.map((m) => pad(`${fmt(rates[m]! / torch.rates[m]!, 2)}`, 26));
    console.log(`${pad(`${name.slice(5)} ÷ torch`, 20)}${ratios.join('')}`);
  }
}

/** Cache builds measured before the onnx engine (README, 2026-12-02): 83–120 images/s. */
const cacheBuildBefore = 83;

function printFrozen(f: FrozenFigures) {
  const torch = f.forward.torch;
  console.log(
    `\nfrozen layers (block1-4), batch ${batch}   images/s   ÷ torch   per CPU-s   ÷ torch`,
  );
  for (const [label, rate] of Object.entries(f.forward)) {
    const wallRatio = torch && label !== 'torch' ? fmt(rate.wall / torch.wall, 2) : '';
    const cpuRatio = torch && label !== 'torch' ? fmt(rate.cpu / torch.cpu, 2) : '';
    console.log(
      `${pad(`forward, ${label}`, 40)}${pad(fmt(rate.wall), 11)}${pad(wallRatio, 10)}${pad(fmt(rate.cpu), 12)}${cpuRatio}`,
    );
  }
  for (const [label, rate] of Object.entries(f.cacheBuild)) {
    console.log(
      `${pad(`cache build, ${label}`, 40)}${pad(fmt(rate), 11)}${pad('', 8)}${fmt(rate / cacheBuildBefore, 1)}× the ${cacheBuildBefore}/s before`,
    );
  }
  if (f.onnxError != null) {
    console.log(
      `onnx vs tfjs, largest relative error (outputs > 1% of max): ${f.onnxError.toExponential(1)}`,
    );
  }
  const exact = Object.entries(f.exactError).map(([l, e]) => `${l} ${e.toExponential(1)}`);
  if (exact.length > 0) console.log(`the same against exact float64 values: ${exact.join(', ')}`);
  console.log(`\n${pad('one epoch of fit (block5 + head train)', 52)}images/s   per CPU-s`);
  for (const [label, rate] of Object.entries(f.epochs)) {
    console.log(`${pad(label, 52)}${pad(fmt(rate.wall), 11)}${fmt(rate.cpu)}`);
  }
  for (const note of f.notes) console.log(note);
}

function printGflops(
  rows: Array<{ name: string; rates: Rates; conv?: Record<string, number> }>,
  torch: TorchFigures | null,
) {
  const withConv = rows.filter((r) => r.conv);
  if (withConv.length === 0) return;
  console.log(
    `\nGFLOP/s (3×3 same conv, batch ${batch})  ${withConv.map((r) => pad(r.name, 22)).join('')}${torch ? 'tfjs÷torch' : ''}`,
  );
  const wholeForward = (r: { rates: Rates }) =>
    ((r.rates.forward ?? 0) * vgg16ForwardFlops(32)) / 1e9;
  const lines: Array<[string, (r: (typeof withConv)[number]) => number]> = [
    ['whole-base forward', wholeForward],
    ...Object.keys(withConv[0]!.conv!).map(
      (k) =>
        [k, (r: (typeof withConv)[number]) => r.conv![k] ?? Number.NaN] as [
          string,
          (r: (typeof withConv)[number]) => number,
        ],
    ),
  ];
  for (const [label, value] of lines) {
    const tfjs = withConv.find((r) => r.name.startsWith('tfjs'));
    const torchRow = withConv.find((r) => r.name.startsWith('torch'));
    const ratio = tfjs && torchRow ? fmt(value(tfjs) / value(torchRow), 2) : '';
    console.log(
      `${pad(label, 40)}${withConv.map((r) => pad(fmt(value(r), 1), 22)).join('')}${ratio}`,
    );
  }
  // Convs count every tap (padding included), as the usual 2·h·w·9·in·out does.
  // Only tfjs': Debian's torch sends plain matrix products to a reference BLAS.
  const ofCeiling = withConv.map((r) =>
    pad(
      r.name.startsWith('tfjs') ? `${fmt((100 * wholeForward(r)) / r.conv![gemmLabel]!, 0)}%` : '',
      22,
    ),
  );
  console.log(`${pad('whole-base forward ÷ GEMM ceiling', 40)}${ofCeiling.join('')}`);
}

await main();
