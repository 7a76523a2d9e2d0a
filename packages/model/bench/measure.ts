import * as tf from '@tensorflow/tfjs';

/** Runs `step` (one batch) after a warm-up until `seconds` pass (at least twice); images/s. */
export async function imagesPerSecond(
  step: () => Promise<unknown>,
  batch: number,
  seconds: number,
): Promise<number> {
  await step();
  const start = performance.now();
  let steps = 0;
  while (steps < 2 || performance.now() - start < seconds * 1000) {
    await step();
    steps++;
  }
  return (steps * batch) / ((performance.now() - start) / 1000);
}

/**
 * {@link imagesPerSecond}, and images per CPU-second of this whole process (every thread: ORT's
 * worker, the wasm pool). On a shared machine the wall-clock rate moves with the other jobs;
 * CPU time is the work each image costs, which they change much less.
 */
export async function imagesPerSecondAndCpu(
  step: () => Promise<unknown>,
  batch: number,
  seconds: number,
): Promise<{ wall: number; cpu: number }> {
  await step();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let steps = 0;
  while (steps < 2 || performance.now() - start < seconds * 1000) {
    await step();
    steps++;
  }
  const wallSeconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return {
    wall: (steps * batch) / wallSeconds,
    cpu: (steps * batch) / ((cpu.user + cpu.system) / 1e6),
  };
}

/** GFLOP/s of a kernel that makes one tensor, timed like {@link imagesPerSecond}. */
export async function gflops(
  run: () => tf.Tensor,
  flops: number,
  seconds: number,
): Promise<number> {
  const rate = await imagesPerSecond(
    async () => {
      const y = run();
      await y.data();
      y.dispose();
    },
    1,
    seconds,
  );
  return (rate * flops) / 1e9;
}

/** The label of the GEMM figure, the ceiling every conv kernel is compared with. */
export const gemmLabel = 'GEMM 1024x1024x1024 (the ceiling)';

/** GFLOP/s of one large square matrix product: what the backend's GEMM reaches here. */
export async function gemmGflops(seconds: number): Promise<number> {
  const a = tf.randomNormal([1024, 1024]) as tf.Tensor2D;
  const b = tf.randomNormal([1024, 1024]) as tf.Tensor2D;
  try {
    return await gflops(() => tf.matMul(a, b), 2 * 1024 ** 3, seconds);
  } finally {
    tf.dispose([a, b]);
  }
}

/** Multiply-adds ×2 of VGG16's 13 convs on one h×w image. */
export function vgg16ForwardFlops(side: number): number {
  const blocks = [
    [64, 2],
    [128, 2],
    [256, 3],
    [512, 3],
    [512, 3],
  ];
  let flops = 0;
  let channels = 3;
  for (const [filters, convs] of blocks) {
    for (let i = 0; i < convs!; i++) {
      flops += 2 * side * side * 9 * channels * filters!;
      channels = filters!;
    }
    side /= 2;
  }
  return flops;
}

export interface ConvShape {
  side: number;
  cin: number;
  cout: number;
}

/** Forward and both backprop kernels of a 3×3 'same' conv at `batch`, in GFLOP/s. */
export async function convKernels(shape: ConvShape, batch: number, seconds: number) {
  const { side, cin, cout } = shape;
  const x = tf.randomNormal([batch, side, side, cin]) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, cin, cout]) as tf.Tensor4D;
  const dy = tf.randomNormal([batch, side, side, cout]) as tf.Tensor4D;
  const flops = 2 * batch * side * side * 9 * cin * cout;
  try {
    return {
      forward: await gflops(() => tf.conv2d(x, w, 1, 'same'), flops, seconds),
      'backprop filter': await gflops(
        () =>
          tf.engine().runKernel(
            'Conv2DBackpropFilter',
            { x, dy },
            {
              strides: 1,
              pad: 'same',
              dataFormat: 'NHWC',
              filterShape: [3, 3, cin, cout],
            },
          ) as tf.Tensor,
        flops,
        seconds,
      ),
      'backprop input': await gflops(
        () => tf.conv2dTranspose(dy, w, [batch, side, side, cin], 1, 'same'),
        flops,
        seconds,
      ),
    };
  } finally {
    tf.dispose([x, w, dy]);
  }
}

/**
 * Milliseconds of one optimizer step over variables the sizes of VGG16's block5 and the
 * seed's head (8.1M weights: 3 × 3·3·512·512 + 2048·512 + biases + 512·10), gradients fixed.
 */
export async function optimizerStepMs(optimizer: tf.Optimizer, seconds: number): Promise<number> {
  const sizes = [2_359_296, 512, 2_359_296, 512, 2_359_296, 512, 1_048_576, 512, 5120, 10];
  const variables = sizes.map((n) => tf.variable(tf.randomNormal([n]), true));
  const gradients = variables.map((v) => ({ name: v.name, tensor: tf.randomNormal(v.shape) }));
  try {
    const rate = await imagesPerSecond(
      async () => {
        optimizer.applyGradients(gradients);
        await variables[0]!.data();
      },
      1,
      seconds,
    );
    return 1000 / rate;
  } finally {
    tf.dispose([...variables, ...gradients.map((g) => g.tensor)]);
    optimizer.dispose();
  }
}
