import * as tf from '@tensorflow/tfjs';
import { openH5, stringList } from './h5.js';

export interface LoadedWeights {
  /** Layers whose weights were assigned, in the file's order. */
  layers: string[];
  /** Which naming the file used: Keras 1/2.0 flat (`…_W_1:0`) or nested (`…/kernel:0`). */
  layout: 'flat' | 'nested';
}

/**
 * Assigns weights from a Keras HDF5 weights file (`model.save_weights(...)` format, such as
 * Keras' published `vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5`) the way Keras'
 * `load_weights` does: walk the root attribute `layer_names`, and for each layer take its
 * attribute `weight_names`, in order, as that layer's weights. Layers are matched by name.
 * Both the flat names of the published file (`block1_conv1/block1_conv1_W_1:0`) and the nested
 * ones newer Keras writes (`block1_conv1/block1_conv1/kernel:0`) work: the dataset path is
 * always `<layer>/<weight name>`. Kernels are [3, 3, in, out] in both Keras and tfjs.
 *
 * Every model layer that has weights must be in the file with the same shapes; file layers the
 * model lacks (e.g. a top) are ignored only when `allowExtraLayers` is set.
 */
export async function loadKerasWeights(
  model: tf.LayersModel,
  path: string,
  options: { allowExtraLayers?: boolean } = {},
): Promise<LoadedWeights> {
  const file = await openH5(path);
  try {
    return assign(model, file, path, options);
  } catch (error) {
    if (error instanceof KerasWeightsError) throw error;
    // h5wasm's own errors ("name not defined!") don't say which file or why.
    throw new KerasWeightsError(
      `${path}: HDF5 read failed (file truncated or corrupt?): ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    file.close();
  }
}

/** Our errors about a readable file, as opposed to h5wasm's about an unreadable one. */
class KerasWeightsError extends Error {}

function assign(
  model: tf.LayersModel,
  file: Awaited<ReturnType<typeof openH5>>,
  path: string,
  options: { allowExtraLayers?: boolean },
): LoadedWeights {
  {
    const fileLayers = stringList(file.attrs.layer_names?.value);
    if (fileLayers.length === 0) {
      throw new KerasWeightsError(
        `${path}: no root attribute 'layer_names'; not a Keras weights file`,
      );
    }
    const withWeights = model.layers.filter((layer) => layer.weights.length > 0);
    const missing = withWeights.filter((layer) => !fileLayers.includes(layer.name));
    if (missing.length > 0) {
      throw new KerasWeightsError(
        `${path}: model layer(s) ${missing.map((l) => l.name).join(', ')} not in the file ` +
          `(its layer_names: ${fileLayers.join(', ')})`,
      );
    }
    const assignments: Array<[tf.LayerVariable, tf.Tensor]> = [];
    let layout: LoadedWeights['layout'] = 'flat';
    const loaded: string[] = [];
    try {
      for (const name of fileLayers) {
        const group = file.get(name);
        const weightNames = stringList(
          group != null && 'attrs' in group ? group.attrs.weight_names?.value : null,
        );
        const layer = withWeights.find((l) => l.name === name);
        if (layer == null) {
          if (weightNames.length > 0 && !options.allowExtraLayers) {
            throw new KerasWeightsError(
              `${path}: file layer ${name} has weights but the model has no such layer`,
            );
          }
          continue;
        }
        if (weightNames.length !== layer.weights.length) {
          throw new KerasWeightsError(
            `${path}: layer ${name} has ${weightNames.length} weights in the file ` +
              `(${weightNames.join(', ')}), the model expects ${layer.weights.length}`,
          );
        }
        weightNames.forEach((weightName, i) => {
          if (weightName.includes('/')) layout = 'nested';
          const dataset = file.get(`${name}/${weightName}`);
          if (dataset == null || !('shape' in dataset)) {
            throw new KerasWeightsError(
              `${path}: layer ${name}: dataset ${name}/${weightName} is missing`,
            );
          }
          const variable = layer.weights[i]!;
          const modelShape = variable.shape as number[];
          const fileShape = dataset.shape ?? [];
          if (!tf.util.arraysEqual(fileShape, modelShape)) {
            throw new KerasWeightsError(
              `${path}: layer ${name}, weight ${weightName}: the file has shape ` +
                `[${fileShape.join(', ')}], the model expects [${modelShape.join(', ')}]`,
            );
          }
          const values = readFloats(dataset.value, `${path}: ${name}/${weightName}`);
          if (values.length !== tf.util.sizeFromShape(modelShape)) {
            throw new KerasWeightsError(
              `${path}: ${name}/${weightName}: data shorter than its shape (truncated?)`,
            );
          }
          assignments.push([variable, tf.tensor(values, modelShape, 'float32')]);
        });
        loaded.push(name);
      }
      // All or nothing: a bad file leaves the model as it was.
      for (const [variable, value] of assignments) variable.write(value);
    } finally {
      for (const [, value] of assignments) value.dispose();
    }
    return { layers: loaded, layout };
  }
}

function readFloats(value: unknown, where: string): Float32Array {
  if (value instanceof Float32Array) return value;
  if (value instanceof Float64Array) return Float32Array.from(value);
  throw new KerasWeightsError(
    `${where}: expected float32 or float64 data, got ${Object.prototype.toString.call(value)}`,
  );
}
