import * as tf from '@tensorflow/tfjs';
import type { WasmBackend } from './kernel-utils.js';
import { denseConv2D, useDenseForm } from './small-image-conv.js';

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Conv2D: the stock kernel (XNNPACK), except for images smaller than the filter, which take
 * the dense form (small-image-conv.ts): at 32×32 inputs, the block5 convs that train.
 */
export function conv2DKernel(
  stock: tf.KernelConfig,
  stockMatMul: tf.KernelConfig,
): tf.KernelConfig {
  return {
    ...stock,
    kernelFunc: (args) => {
      const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
      const attrs = args.attrs as unknown as Attrs;
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filter.shape as [number, number, number, number],
        attrs.strides,
        attrs.dilations,
        attrs.pad,
        attrs.dimRoundingMode,
        false,
        tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
      );
      if (!useDenseForm(info)) return stock.kernelFunc(args);
      return denseConv2D(args.backend as WasmBackend, stockMatMul, x, filter, info);
    },
  };
}
