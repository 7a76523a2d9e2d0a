import * as tf from '@tensorflow/tfjs';

/** Keras' VGG16 conv base, block by block: [filters, conv layers]. */
export const VGG16_BLOCKS: ReadonlyArray<readonly [filters: number, convs: number]> = [
  [64, 2],
  [128, 2],
  [256, 3],
  [512, 3],
  [512, 3],
];

/** Parameters in the conv base without the classifier top (Keras' `include_top=False`). */
export const VGG16_BASE_PARAMS = 14_714_688;

/** Keras' layer names in order: block1_conv1, block1_conv2, block1_pool, …, block5_pool. */
export const VGG16_LAYER_NAMES: readonly string[] = VGG16_BLOCKS.flatMap(([, convs], b) => [
  ...Array.from({ length: convs }, (_, i) => `block${b + 1}_conv${i + 1}`),
  `block${b + 1}_pool`,
]);

export interface Vgg16BaseOptions {
  /** [height, width, 3]; each side ≥ 32 (five 2×2 pools). Default [32, 32, 3], CIFAR-10's. */
  inputShape?: [number, number, number];
  /**
   * 'random' (default): tfjs' glorotNormal kernels. 'zeros': for a base whose weights are loaded
   * next (ImageNet, a Keras file): skips drawing 14.7M truncated-normal numbers in plain JS,
   * about a second of the build.
   */
  kernels?: 'random' | 'zeros';
}

/**
 * The VGG16 convolutional base as Keras builds it (`VGG16(include_top=False)`): 13 3×3 'same'
 * ReLU convs in five blocks, each block closed by a 2×2 max pool, with Keras' layer names so
 * Keras' ImageNet weights load by name. Weights are freshly initialised (tfjs' default Glorot
 * normal kernels — truncated normal, Keras' default is Glorot uniform — and zero biases), or
 * zeros with `kernels: 'zeros'`; load real ones with `loadVgg16Weights`.
 *
 * Input: [batch, h, w, 3] in BGR caffe order (see `preprocessImages`).
 * Output of block5_pool: [batch, ⌊h/32⌋, ⌊w/32⌋, 512] — [batch, 1, 1, 512] at 32×32.
 * At 32×32 the block4_pool output (block5's input) is [batch, 2, 2, 512].
 */
export function buildVgg16Base(options: Vgg16BaseOptions = {}): tf.LayersModel {
  const inputShape = options.inputShape ?? [32, 32, 3];
  const [h, w, c] = inputShape;
  if (!(Number.isInteger(h) && Number.isInteger(w) && h >= 32 && w >= 32 && c === 3)) {
    throw new Error(
      `VGG16 inputShape: expected [height ≥ 32, width ≥ 32, 3] (integers), got [${inputShape.join(', ')}]`,
    );
  }
  const kernels = options.kernels ?? 'random';
  if (kernels !== 'random' && kernels !== 'zeros') {
    throw new Error(`VGG16 kernels: expected 'random' or 'zeros', got '${kernels}'`);
  }
  const input = tf.input({ shape: inputShape, name: 'input_1' });
  let x: tf.SymbolicTensor = input;
  VGG16_BLOCKS.forEach(([filters, convs], b) => {
    for (let i = 1; i <= convs; i++) {
      x = tf.layers
        .conv2d({
          filters,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          ...(kernels === 'zeros' ? { kernelInitializer: 'zeros' } : {}),
          name: `block${b + 1}_conv${i}`,
        })
        .apply(x) as tf.SymbolicTensor;
    }
    x = tf.layers
      .maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` })
      .apply(x) as tf.SymbolicTensor;
  });
  return tf.model({ inputs: input, outputs: x, name: 'vgg16' });
}
