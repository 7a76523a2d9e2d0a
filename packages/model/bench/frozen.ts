/**
 * The frozen layers (VGG16 block1–4 at 32×32) on each engine: forward images/s at batch 64,
 * the whole feature-cache build (pixels in, features out, preprocessing included), the ONNX
 * graph's agreement with tfjs, and one epoch of fit on each frozen path (plain, flip with
 * mirrors, flip + shift per batch) — what `pnpm train` sees.
 */
import * as tf from '@tensorflow/tfjs';
import { buildFeatureCache } from '../src/feature-cache.js';
import { fitTransferModel } from '../src/fit.js';
import { type FrozenEngine, selectFrozenEngine } from '../src/frozen/frozen-engine.js';
import { imagesInMemory } from '../src/image-source.js';
import { buildTransferModel } from '../src/transfer.js';
import { buildVgg16Base } from '../src/vgg16.js';
import { imagesPerSecondAndCpu } from './measure.js';
import type { Torch } from './torch.js';

/** Images per second of wall clock, and per CPU-second of the process that did the work. */
export interface Rate {
  wall: number;
  cpu: number;
}

export interface FrozenFigures {
  /** Frozen forward by engine label; 'torch' measured right after onnx's, under the same load. */
  forward: Record<string, Rate>;
  /** buildFeatureCache, images/s, by engine label. */
  cacheBuild: Record<string, number>;
  /** Largest relative error of onnx vs tfjs, outputs above 1% of the max. */
  onnxError: number | null;
  /** The same measure of each engine against the exact (float64) prefix, on two images. */
  exactError: Record<string, number>;
  /** Epoch rates by path label (fit, one epoch; cache build not counted). */
  epochs: Record<string, Rate>;
  notes: string[];
}

function randomPixels(count: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  return Uint8Array.from({ length: count * 32 * 32 * 3 }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  });
}

export async function frozenFigures(options: {
  batch: number;
  seconds: number;
  threads: number;
  /** Images in the cache build and in the fit epochs. */
  images: number;
  /** PyTorch's frozen forward, measured beside onnx's. */
  torch?: Torch | undefined;
}): Promise<FrozenFigures> {
  const { batch, seconds, threads, images } = options;
  const transfer = buildTransferModel({ base: buildVgg16Base() });
  const prefix = transfer.frozenPrefix!;
  const figures: FrozenFigures = {
    forward: {},
    cacheBuild: {},
    onnxError: null,
    exactError: {},
    epochs: {},
    notes: [],
  };
  const engines: Array<[string, FrozenEngine]> = [
    [`tfjs ${tf.getBackend()}`, await selectFrozenEngine(prefix, 'tfjs')],
  ];
  try {
    engines.push(['onnx', await selectFrozenEngine(prefix, 'onnx', { threads })]);
    figures.notes.push(`onnx: ${engines[1]![1].detail}`);
  } catch (error) {
    figures.notes.push(`onnx: not available (${(error as Error).message})`);
  }
  const x = tf.tidy(
    () => tf.randomUniform([batch, 32, 32, 3], -120, 120).dataSync() as Float32Array,
  );
  const outputs: Float32Array[] = [];
  for (const [label, engine] of engines) {
    outputs.push(await engine.forward(x, batch));
    figures.forward[label] = await imagesPerSecondAndCpu(
      () => engine.forward(x, batch),
      batch,
      seconds,
    );
    if (engine.engine === 'onnx' && options.torch) {
      figures.forward.torch = await options.torch.measureWithCpu('cache');
    }
  }
  if (options.torch && !figures.forward.torch) {
    figures.forward.torch = await options.torch.measureWithCpu('cache');
  }
  if (outputs.length === 2) figures.onnxError = relativeError(outputs[1]!, outputs[0]!);
  const exactImages = Math.min(2, batch);
  const exact = exactPrefix(prefix, x.subarray(0, exactImages * 32 * 32 * 3), exactImages);
  for (const [i, [label]] of engines.entries()) {
    figures.exactError[label] = relativeError(outputs[i]!.subarray(0, exact.length), exact);
  }

  const labels = Uint8Array.from({ length: images }, (_, i) => i % 10);
  const source = imagesInMemory(randomPixels(images, 1), labels);
  for (const [label, engine] of engines) {
    const start = performance.now();
    await buildFeatureCache(engine, source, {
      preprocessing: 'caffe',
      batchSize: batch,
      featureShape: transfer.featureShape,
    });
    figures.cacheBuild[label] = images / ((performance.now() - start) / 1000);
  }
  for (const [, engine] of engines) await engine.close();

  type Engine = 'tfjs' | 'onnx';
  // [label, augmentation, frozen engine, engine of the trainable layers]
  const paths: Array<[string, Parameters<typeof fitTransferModel>[1]['augment'], Engine, Engine]> =
    [
      ['no augmentation (cache), onnx + trainable on onnx', undefined, 'onnx', 'onnx'],
      ['no augmentation (cache), onnx + trainable on tfjs', undefined, 'onnx', 'tfjs'],
      ['flip (cache with mirrors), onnx + onnx', { flip: true }, 'onnx', 'onnx'],
      ['flip,shift=4 (per batch), onnx + onnx', { flip: true, shift: 4 }, 'onnx', 'onnx'],
      ['flip,shift=4 (per batch), onnx + tfjs', { flip: true, shift: 4 }, 'onnx', 'tfjs'],
      ['flip,shift=4 (whole model), tfjs', { flip: true, shift: 4 }, 'tfjs', 'tfjs'],
    ];
  for (const [label, augment, frozenEngine, suffixEngine] of paths) {
    if (frozenEngine === 'onnx' && engines.length < 2) continue;
    const t = buildTransferModel({ base: buildVgg16Base() });
    let trainStart = 0;
    let trainEnd = 0;
    let cpuStart = process.cpuUsage();
    let cpuEnd = cpuStart;
    await fitTransferModel(t, {
      train: source,
      epochs: 1,
      batchSize: batch,
      frozenEngine,
      suffixEngine,
      ...(augment ? { augment } : {}),
      callbacks: {
        onBatchEnd: ({ batch: b }) => {
          // The first batch's step compiles and warms up: time from its end.
          if (b === 0) {
            trainStart = performance.now();
            cpuStart = process.cpuUsage();
          }
          trainEnd = performance.now();
          cpuEnd = process.cpuUsage(cpuStart);
          return undefined;
        },
      },
    });
    const timed = images - Math.min(batch, images);
    figures.epochs[label] = {
      wall: timed / ((trainEnd - trainStart) / 1000),
      cpu: timed / ((cpuEnd.user + cpuEnd.system) / 1e6),
    };
  }
  return figures;
}

/**
 * The prefix in float64 (3×3 'same' ReLU convs and 2×2 max pools, NHWC, as VGG16's): the value
 * both float32 engines round, to say which is closer. Plain loops: about a second an image.
 */
function exactPrefix(prefix: tf.LayersModel, images: Float32Array, count: number): Float64Array {
  let [h, w, c] = prefix.inputs[0]!.shape.slice(1) as number[];
  let act = Float64Array.from(images);
  for (const layer of prefix.layers) {
    const kind = layer.getClassName();
    if (kind === 'Conv2D') {
      const [kernel, bias] = layer.getWeights().map((t) => Float64Array.from(t.dataSync()));
      const cout = bias!.length;
      const out = new Float64Array(count * h! * w! * cout);
      for (let i = 0; i < count; i++) {
        for (let y = 0; y < h!; y++) {
          for (let x = 0; x < w!; x++) {
            const at = ((i * h! + y) * w! + x) * cout;
            const sum = out.subarray(at, at + cout);
            sum.set(bias!);
            for (let ky = 0; ky < 3; ky++) {
              const sy = y + ky - 1;
              if (sy < 0 || sy >= h!) continue;
              for (let kx = 0; kx < 3; kx++) {
                const sx = x + kx - 1;
                if (sx < 0 || sx >= w!) continue;
                const from = ((i * h! + sy) * w! + sx) * c!;
                for (let ci = 0; ci < c!; ci++) {
                  const v = act[from + ci]!;
                  const k = ((ky * 3 + kx) * c! + ci) * cout;
                  for (let o = 0; o < cout; o++) sum[o]! += v * kernel![k + o]!;
                }
              }
            }
            for (let o = 0; o < cout; o++) sum[o] = Math.max(0, sum[o]!);
          }
        }
      }
      act = out;
      c = cout;
    } else if (kind === 'MaxPooling2D') {
      const [oh, ow] = [h! / 2, w! / 2];
      const out = new Float64Array(count * oh * ow * c!);
      for (let i = 0; i < count; i++) {
        for (let y = 0; y < oh; y++) {
          for (let x = 0; x < ow; x++) {
            for (let ch = 0; ch < c!; ch++) {
              const at = (dy: number, dx: number) =>
                act[((i * h! + 2 * y + dy) * w! + 2 * x + dx) * c! + ch]!;
              out[((i * oh + y) * ow + x) * c! + ch] = Math.max(
                at(0, 0),
                at(0, 1),
                at(1, 0),
                at(1, 1),
              );
            }
          }
        }
      }
      act = out;
      [h, w] = [oh, ow];
    }
  }
  return act;
}

function relativeError(a: Float32Array, b: Float32Array | Float64Array): number {
  let max = 0;
  for (const v of b) max = Math.max(max, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    if (Math.abs(b[i]!) > 0.01 * max) {
      worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.abs(b[i]!));
    }
  }
  return worst;
}
