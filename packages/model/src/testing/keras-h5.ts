import { loadH5wasm } from '../h5.js';
import { VGG16_BLOCKS, VGG16_LAYER_NAMES } from '../vgg16.js';

export interface KerasLayerWeights {
  name: string;
  /** [3, 3, in, out] kernel and [out] bias, or none (input, pools). */
  kernel?: { shape: number[]; values: Float32Array };
  bias?: { shape: number[]; values: Float32Array };
}

/** Writes a Keras `save_weights` HDF5 file, in the published file's flat names or newer nested ones. */
export async function writeKerasWeightsFile(
  path: string,
  layers: KerasLayerWeights[],
  layout: 'flat' | 'nested',
): Promise<void> {
  const h5 = await loadH5wasm();
  const file = new h5.File(path, 'w');
  try {
    const names = layers.map((l) => l.name);
    const width = Math.max(...names.map((n) => n.length));
    file.create_attribute('layer_names', names, null, `S${width}`);
    file.create_attribute('backend', 'tensorflow');
    file.create_attribute('keras_version', layout === 'flat' ? '2.0.8' : '2.15.0');
    for (const layer of layers) {
      const group = file.create_group(layer.name);
      if (!layer.kernel || !layer.bias) {
        group.create_attribute('weight_names', [] as string[]);
        continue;
      }
      const [kernelName, biasName] =
        layout === 'flat'
          ? [`${layer.name}_W_1:0`, `${layer.name}_b_1:0`]
          : [`${layer.name}/kernel:0`, `${layer.name}/bias:0`];
      group.create_attribute('weight_names', [kernelName, biasName]);
      // Nested names live in an inner group named after the layer, as h5py writes them.
      const holder = layout === 'flat' ? group : group.create_group(layer.name);
      const leaf = (n: string) => n.split('/').at(-1)!;
      holder.create_dataset({
        name: leaf(kernelName),
        data: layer.kernel.values,
        shape: layer.kernel.shape,
      });
      holder.create_dataset({
        name: leaf(biasName),
        data: layer.bias.values,
        shape: layer.bias.shape,
      });
    }
  } finally {
    file.close();
  }
}

/**
 * VGG16 base weights with real shapes: He-scaled uniform kernels (so activations stay O(1)
 * through 13 ReLU layers) and small biases, from a seeded generator.
 */
export function randomVgg16Weights(seed: number): KerasLayerWeights[] {
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const layers: KerasLayerWeights[] = [{ name: 'input_1' }];
  let inChannels = 3;
  let index = 0;
  for (const [filters, convs] of VGG16_BLOCKS) {
    for (let i = 0; i < convs; i++) {
      const name = VGG16_LAYER_NAMES[index++]!;
      const limit = Math.sqrt(6 / (9 * inChannels));
      const kernel = Float32Array.from(
        { length: 9 * inChannels * filters },
        () => (random() * 2 - 1) * limit,
      );
      const bias = Float32Array.from({ length: filters }, () => (random() * 2 - 1) * 0.05);
      layers.push({
        name,
        kernel: { shape: [3, 3, inChannels, filters], values: kernel },
        bias: { shape: [filters], values: bias },
      });
      inChannels = filters;
    }
    layers.push({ name: VGG16_LAYER_NAMES[index++]! });
  }
  return layers;
}
