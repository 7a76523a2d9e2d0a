import type * as tf from '@tensorflow/tfjs';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** ONNX operator set the graph is written for (Conv, Relu, MaxPool, Transpose: all ≤ 13). */
const OPSET = 13;

/**
 * The frozen prefix as an ONNX model, from the weights the tfjs layers hold now: input
 * `images` [batch, h, w, c] NHWC float32 (already preprocessed, as `prefix.predict` takes
 * them), output `features` [batch, ...featureShape] NHWC. ONNX's Conv and MaxPool are NCHW, so
 * the graph transposes once at each edge and the kernels are written as OIHW.
 * Throws, naming the layer, when the prefix holds a layer this does not translate (only
 * Conv2D with relu/linear, MaxPooling2D and the input are expected in VGG16's prefix).
 */
export function frozenPrefixToOnnx(prefix: tf.LayersModel): Uint8Array {
  const inputShape = prefix.inputs[0]!.shape.slice(1) as number[];
  const outputShape = prefix.outputs[0]!.shape.slice(1) as number[];
  const nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  const initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  let current = 'images_nchw';
  nodes.push(
    onnx.NodeProto.create({
      opType: 'Transpose',
      input: ['images'],
      output: [current],
      name: 'to_nchw',
      attribute: [ints('perm', [0, 3, 1, 2])],
    }),
  );
  for (const layer of prefix.layers) {
    const kind = layer.getClassName();
    const config = layer.getConfig();
    if (kind === 'InputLayer') continue;
    if (kind === 'Conv2D') {
      current = conv2d(layer, config, current, nodes, initializers);
    } else if (kind === 'MaxPooling2D') {
      const pool = config.poolSize as number[];
      const strides = (config.strides as number[] | null) ?? pool;
      if (config.padding !== 'valid') unsupported(layer, `padding '${config.padding}'`);
      const output = `${layer.name}_out`;
      nodes.push(
        onnx.NodeProto.create({
          opType: 'MaxPool',
          input: [current],
          output: [output],
          name: layer.name,
          attribute: [ints('kernel_shape', pool), ints('strides', strides)],
        }),
      );
      current = output;
    } else {
      unsupported(layer, 'this layer type');
    }
  }
  nodes.push(
    onnx.NodeProto.create({
      opType: 'Transpose',
      input: [current],
      output: ['features'],
      name: 'to_nhwc',
      attribute: [ints('perm', [0, 2, 3, 1])],
    }),
  );
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: '@trainbook/model',
    graph: onnx.GraphProto.create({
      name: prefix.name,
      node: nodes,
      initializer: initializers,
      input: [valueInfo('images', inputShape)],
      output: [valueInfo('features', outputShape)],
    }),
  });
  return onnx.ModelProto.encode(model).finish();
}

function conv2d(
  layer: tf.layers.Layer,
  config: tf.serialization.ConfigDict,
  input: string,
  nodes: InstanceType<typeof onnx.NodeProto>[],
  initializers: InstanceType<typeof onnx.TensorProto>[],
): string {
  const strides = config.strides as number[];
  const dilation = config.dilationRate as number[] | number;
  const activation = config.activation as string;
  if (config.dataFormat !== 'channelsLast') unsupported(layer, `dataFormat ${config.dataFormat}`);
  if ([dilation].flat().some((d) => d !== 1)) unsupported(layer, 'dilation');
  if (activation !== 'relu' && activation !== 'linear')
    unsupported(layer, `activation '${activation}'`);
  const [kernel, bias] = layer.getWeights();
  const [kh, kw, cin, cout] = kernel!.shape as number[];
  // tfjs kernels are [kh, kw, in, out]; ONNX wants [out, in, kh, kw].
  const hwio = kernel!.dataSync() as Float32Array;
  initializers.push(
    floatTensor(`${layer.name}_W`, [cout!, cin!, kh!, kw!], toOihw(hwio, kh!, kw!, cin!, cout!)),
  );
  const inputs = [input, `${layer.name}_W`];
  if (bias) {
    initializers.push(floatTensor(`${layer.name}_B`, [cout!], bias.dataSync() as Float32Array));
    inputs.push(`${layer.name}_B`);
  }
  const attribute = [ints('kernel_shape', [kh!, kw!]), ints('strides', strides)];
  if (config.padding === 'same') {
    // tfjs 'same' with stride 1 pads (k − 1) / 2 on each side; ONNX's SAME_UPPER is the same
    // rule (extra padding at the end) for any stride.
    attribute.push(
      onnx.AttributeProto.create({
        name: 'auto_pad',
        type: onnx.AttributeProto.AttributeType.STRING,
        s: new TextEncoder().encode('SAME_UPPER'),
      }),
    );
  } else if (config.padding !== 'valid') {
    unsupported(layer, `padding '${config.padding}'`);
  }
  const convOut = `${layer.name}_conv`;
  nodes.push(
    onnx.NodeProto.create({
      opType: 'Conv',
      input: inputs,
      output: [convOut],
      name: layer.name,
      attribute,
    }),
  );
  if (activation === 'linear') return convOut;
  const output = `${layer.name}_out`;
  nodes.push(
    onnx.NodeProto.create({
      opType: 'Relu',
      input: [convOut],
      output: [output],
      name: `${layer.name}_relu`,
    }),
  );
  return output;
}

/** [kh, kw, in, out] → [out, in, kh, kw], in plain JavaScript (no backend kernels). */
function toOihw(hwio: Float32Array, kh: number, kw: number, cin: number, cout: number) {
  const oihw = new Float32Array(hwio.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < cin; i++) {
        const from = ((y * kw + x) * cin + i) * cout;
        const to = (i * kh + y) * kw + x;
        for (let o = 0; o < cout; o++) oihw[o * cin * kh * kw + to] = hwio[from + o]!;
      }
    }
  }
  return oihw;
}

function unsupported(layer: tf.layers.Layer, what: string): never {
  throw new Error(
    `frozen layer ${layer.name} (${layer.getClassName()}): ${what} has no ONNX translation here`,
  );
}

function ints(name: string, values: number[]) {
  return onnx.AttributeProto.create({
    name,
    type: onnx.AttributeProto.AttributeType.INTS,
    ints: values,
  });
}

function floatTensor(name: string, dims: number[], values: Float32Array) {
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    // Little-endian raw bytes, as ONNX specifies (every platform ORT runs on is little-endian).
    rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  });
}

/** Batch is symbolic ('batch'); the other dimensions are fixed. */
function valueInfo(name: string, shape: number[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: 'batch' }, ...shape.map((dimValue) => ({ dimValue }))] },
      },
    },
  });
}
