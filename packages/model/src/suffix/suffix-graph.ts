import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type Node = InstanceType<typeof onnx.NodeProto>;
type Tensor = InstanceType<typeof onnx.TensorProto>;

/** Operator set the graphs are written for (Gemm, Gather, Concat, ReduceSum with axes input). */
const OPSET = 13;

/**
 * The shape of a trainable suffix that the ONNX graphs below can train: `convs` 3×3 'same'
 * stride-1 relu convolutions on images of `pixels` (≤ 2×2) pixels, each with `channels[l]`
 * inputs and `channels[l + 1]` outputs; a max pool over the whole image (VGG16's block5_pool at
 * 32×32 inputs: 2×2 → 1×1); Flatten; Dense(`units`, relu); Dense(`classes`, softmax).
 */
export interface SuffixSpec {
  /** Input image height and width (features of the frozen prefix). */
  height: number;
  width: number;
  /** channels[0] is the features' channels; channels[l + 1] is conv l's filters. */
  channels: number[];
  units: number;
  classes: number;
}

/** Parameter names in graph order, with their shapes (taps × in × out for conv kernels). */
export function suffixParams(spec: SuffixSpec): Array<{ name: string; shape: number[] }> {
  const params: Array<{ name: string; shape: number[] }> = [];
  for (let l = 0; l + 1 < spec.channels.length; l++) {
    params.push({ name: `k${l}`, shape: [9, spec.channels[l]!, spec.channels[l + 1]!] });
    params.push({ name: `b${l}`, shape: [spec.channels[l + 1]!] });
  }
  const features = spec.channels.at(-1)!;
  params.push({ name: 'w1', shape: [features, spec.units] });
  params.push({ name: 'c1', shape: [spec.units] });
  params.push({ name: 'w2', shape: [spec.units, spec.classes] });
  params.push({ name: 'c2', shape: [spec.classes] });
  return params;
}

/**
 * For input pixel p and output pixel o of a 3×3 'same' stride-1 conv on an h×w image: the tap
 * (fh · 3 + fw) that joins them. Every pair is joined when h, w ≤ 2, which the graphs need.
 */
function tap(spec: SuffixSpec, p: number, o: number): number {
  const [ih, iw] = [Math.floor(p / spec.width), p % spec.width];
  const [oh, ow] = [Math.floor(o / spec.width), o % spec.width];
  return (ih - oh + 1) * 3 + (iw - ow + 1);
}

/**
 * Builds the suffix's graphs. `train`: inputs `x` [batch, pixels · channels[0]] (NHWC features,
 * flattened), `y` [batch, classes] one-hot and the parameters (suffixParams); outputs `loss`
 * (mean categorical cross-entropy, Keras' clipping at 1e-7), `correct` (images whose argmax is
 * the label) and `g_<param>` (the gradient of `loss` for each parameter). `predict`: `x` and
 * the parameters → `probabilities` [batch, classes].
 *
 * Each conv is computed in its dense form (see small-image-conv.ts): output pixel o is one
 * GEMM of the whole flattened image with the taps that join each input pixel to o, stacked —
 * only useful products, no padding. Gradients are written out by hand (ONNX Runtime's Node
 * package has no autodiff); conv kernel gradients sum each tap's blocks.
 */
export function suffixGraphs(spec: SuffixSpec): { train: Uint8Array; predict: Uint8Array } {
  const pixels = spec.height * spec.width;
  if (spec.height > 2 || spec.width > 2) {
    throw new Error(
      `suffix graph: ${spec.height}×${spec.width} features; the dense form needs at most 2×2`,
    );
  }
  return { train: build(spec, pixels, true), predict: build(spec, pixels, false) };
}

function build(spec: SuffixSpec, pixels: number, train: boolean): Uint8Array {
  const g = new GraphBuilder();
  const convs = spec.channels.length - 1;
  const params = suffixParams(spec);
  const B = -1;
  // Gather indices per output pixel o: taps of input pixels 0 … P−1.
  const tapsFor = Array.from({ length: pixels }, (_, o) =>
    g.int64(
      `taps_o${o}`,
      [pixels],
      Array.from({ length: pixels }, (_, p) => tap(spec, p, o)),
    ),
  );
  // Forward.
  const acts: string[] = ['x'];
  const stacked: string[][] = [];
  for (let l = 0; l < convs; l++) {
    const [cin, cout] = [spec.channels[l]!, spec.channels[l + 1]!];
    const ks: string[] = [];
    const zs: string[] = [];
    for (let o = 0; o < pixels; o++) {
      const gathered = g.op('Gather', [`k${l}`, tapsFor[o]!], { axis: 0 });
      const K = g.op('Reshape', [gathered, g.int64(`shape_k${l}`, [2], [pixels * cin, cout])]);
      ks.push(K);
      zs.push(g.op('Gemm', [acts[l]!, K, `b${l}`]));
    }
    stacked.push(ks);
    const z = pixels === 1 ? zs[0]! : g.op('Concat', zs, { axis: 1 });
    acts.push(g.op('Relu', [z]));
  }
  const C = spec.channels.at(-1)!;
  const last = acts.at(-1)!;
  const perPixel = g.op('Reshape', [last, g.int64('shape_bpc', [3], [B, pixels, C])]);
  const pooled = g.op('ReduceMax', [perPixel], { axes: [1], keepdims: 0 });
  const h = g.op('Relu', [g.op('Gemm', [pooled, 'w1', 'c1'])]);
  const logits = g.op('Gemm', [h, 'w2', 'c2']);
  const probabilities = g.op('Softmax', [logits], { axis: 1 }, 'probabilities');
  const inputs = [g.input('x', [B, pixels * spec.channels[0]!])];
  for (const p of params) inputs.push(g.input(p.name, p.shape));
  if (!train)
    return g.finish('suffix_predict', inputs, [g.output(probabilities, [B, spec.classes])]);

  // Loss and accuracy, as Keras: p / Σp, clipped to [ε, 1 − ε], −Σ y log p, mean over the batch.
  inputs.push(g.input('y', [B, spec.classes]));
  const eps = g.scalar('eps', 1e-7);
  const oneMinusEps = g.scalar('one_minus_eps', 1 - 1e-7);
  const axis1 = g.int64('axis1', [1], [1]);
  const normalised = g.op('Div', [
    probabilities,
    g.op('ReduceSum', [probabilities, axis1], { keepdims: 1 }),
  ]);
  const pTrue = g.op('ReduceSum', [g.op('Mul', [normalised, 'y']), axis1], { keepdims: 1 });
  const clipped = g.op('Clip', [pTrue, eps, oneMinusEps]);
  const loss = g.op('ReduceMean', [g.op('Neg', [g.op('Log', [clipped])])], { keepdims: 0 }, 'loss');
  const hits = g.op('Equal', [
    g.op('ArgMax', [probabilities], { axis: 1, keepdims: 0 }),
    g.op('ArgMax', ['y'], { axis: 1, keepdims: 0 }),
  ]);
  const correct = g.op(
    'ReduceSum',
    [g.op('Cast', [hits], { to: FLOAT }), g.int64('axis0', [1], [0])],
    { keepdims: 0 },
    'correct',
  );

  // d loss / d logits = (p − y) / batch where the true class' probability is not clipped.
  const inRange = g.op(
    'Cast',
    [
      g.op('Not', [
        g.op('Or', [g.op('Less', [pTrue, eps]), g.op('Greater', [pTrue, oneMinusEps])]),
      ]),
    ],
    { to: FLOAT },
  );
  const batch = g.op(
    'Cast',
    [g.op('Gather', [g.op('Shape', ['x']), g.int64('zero', [], [0])], { axis: 0 })],
    { to: FLOAT },
  );
  const dLogits = g.op('Div', [g.op('Mul', [g.op('Sub', [probabilities, 'y']), inRange]), batch]);
  const axis0 = 'axis0';
  const grads = new Map<string, string>();
  grads.set('w2', g.op('Gemm', [h, dLogits], { transA: 1 }));
  grads.set('c2', g.op('ReduceSum', [dLogits, axis0], { keepdims: 0 }));
  const dH = g.op('Mul', [g.op('Gemm', [dLogits, 'w2'], { transB: 1 }), positive(g, h)]);
  grads.set('w1', g.op('Gemm', [pooled, dH], { transA: 1 }));
  grads.set('c1', g.op('ReduceSum', [dH, axis0], { keepdims: 0 }));
  if (convs > 0) {
    // Tap sums for kernel gradients: S[t, o · P + p] = 1 where pair (p, o) uses tap t.
    const select = new Float32Array(9 * pixels * pixels);
    for (let o = 0; o < pixels; o++)
      for (let p = 0; p < pixels; p++)
        select[tap(spec, p, o) * pixels * pixels + o * pixels + p] = 1;
    const S = g.float('tap_select', [9, pixels * pixels], select);
    const dPooled = g.op('Gemm', [dH, 'w1'], { transB: 1 });
    const axis1Unsq = axis1;
    const isMax = g.op(
      'Cast',
      [g.op('Equal', [perPixel, g.op('Unsqueeze', [pooled, axis1Unsq])])],
      { to: FLOAT },
    );
    let dAct = g.op('Reshape', [
      g.op('Mul', [isMax, g.op('Unsqueeze', [dPooled, axis1Unsq])]),
      g.int64('shape_flat', [2], [B, pixels * C]),
    ]);
    for (let l = convs - 1; l >= 0; l--) {
      const cout = spec.channels[l + 1]!;
      const dZ = g.op('Mul', [dAct, positive(g, acts[l + 1]!)]);
      const dZo = Array.from({ length: pixels }, (_, o) =>
        pixels === 1
          ? dZ
          : g.op('Slice', [
              dZ,
              g.int64(`start_${l}_${o}`, [1], [o * cout]),
              g.int64(`end_${l}_${o}`, [1], [(o + 1) * cout]),
              axis1,
            ]),
      );
      // Dense-form kernel gradient per output pixel: [P · cin, cout]; stacked o-major, then
      // each tap's blocks summed: [9, cin · cout].
      const dK = dZo.map((d) => g.op('Gemm', [acts[l]!, d], { transA: 1 }));
      const cin = spec.channels[l]!;
      const dStacked = g.op('Reshape', [
        pixels === 1 ? dK[0]! : g.op('Concat', dK, { axis: 0 }),
        g.int64(`shape_dk${l}`, [2], [pixels * pixels, cin * cout]),
      ]);
      grads.set(
        `k${l}`,
        g.op('Reshape', [
          g.op('MatMul', [S, dStacked]),
          g.int64(`shape_kt${l}`, [3], [9, cin, cout]),
        ]),
      );
      grads.set(
        `b${l}`,
        g.op(
          'ReduceSum',
          [
            g.op('Reshape', [dZ, g.int64(`shape_bpo${l}`, [3], [B, pixels, cout])]),
            g.int64('axes01', [2], [0, 1]),
          ],
          { keepdims: 0 },
        ),
      );
      if (l === 0) break;
      // d input = Σ over output pixels of dZ_o · K_oᵀ.
      let dIn = '';
      for (let o = 0; o < pixels; o++) {
        const ins = [dZo[o]!, stacked[l]![o]!];
        if (dIn) ins.push(dIn);
        dIn = g.op('Gemm', ins, { transB: 1 });
      }
      dAct = dIn;
    }
  }
  const outputs = [g.output(loss, []), g.output(correct, [])];
  for (const p of params) {
    outputs.push(g.output(g.op('Identity', [grads.get(p.name)!], {}, `g_${p.name}`), p.shape));
  }
  return g.finish('suffix_train', inputs, outputs);
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** 1 where the relu output is above 0, else 0 (tfjs' and TF's relu gradient). */
function positive(g: GraphBuilder, activation: string): string {
  return g.op('Cast', [g.op('Greater', [activation, g.scalar('zero_f', 0)])], { to: FLOAT });
}

type Attribute = number | number[];

class GraphBuilder {
  private nodes: Node[] = [];
  private initializers = new Map<string, Tensor>();
  private count = 0;

  op(type: string, input: string[], attributes: Record<string, Attribute> = {}, name?: string) {
    const output = name ?? `${type.toLowerCase()}_${this.count++}`;
    this.nodes.push(
      onnx.NodeProto.create({
        opType: type,
        input,
        output: [output],
        name: output,
        attribute: Object.entries(attributes).map(([key, value]) =>
          Array.isArray(value)
            ? onnx.AttributeProto.create({
                name: key,
                type: onnx.AttributeProto.AttributeType.INTS,
                ints: value,
              })
            : onnx.AttributeProto.create({
                name: key,
                type: onnx.AttributeProto.AttributeType.INT,
                i: value,
              }),
        ),
      }),
    );
    return output;
  }

  int64(name: string, dims: number[], values: number[]): string {
    if (!this.initializers.has(name)) {
      const data = BigInt64Array.from(values, (v) => BigInt(v));
      this.initializers.set(
        name,
        onnx.TensorProto.create({
          name,
          dims,
          dataType: onnx.TensorProto.DataType.INT64,
          rawData: new Uint8Array(data.buffer),
        }),
      );
    }
    return name;
  }

  float(name: string, dims: number[], values: Float32Array): string {
    this.initializers.set(
      name,
      onnx.TensorProto.create({
        name,
        dims,
        dataType: FLOAT,
        rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
      }),
    );
    return name;
  }

  scalar(name: string, value: number): string {
    if (!this.initializers.has(name)) this.float(name, [], Float32Array.of(value));
    return name;
  }

  input(name: string, shape: number[]) {
    return valueInfo(name, shape);
  }

  output(name: string, shape: number[]) {
    return valueInfo(name, shape);
  }

  finish(
    name: string,
    input: ReturnType<typeof valueInfo>[],
    output: ReturnType<typeof valueInfo>[],
  ): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 7,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: '@trainbook/model',
      graph: onnx.GraphProto.create({
        name,
        node: this.nodes,
        initializer: [...this.initializers.values()],
        input,
        output,
      }),
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

/** −1 is the symbolic batch dimension. */
function valueInfo(name: string, shape: number[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: {
          dim: shape.map((d) => (d < 0 ? { dimParam: 'batch' } : { dimValue: d })),
        },
      },
    },
  });
}
