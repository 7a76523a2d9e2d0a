/** The params that advice depends on, read from a run's stored params whatever their shape. */
export interface RunParams {
  optimizer: 'rmsprop' | 'adam' | 'sgd' | string;
  /** The learning rate used (the trainer stores the resolved one). */
  lr: number | null;
  /** 'imagenet', 'none' or a path to a Keras .h5. */
  weights: string;
  /** Whether the base starts from trained weights: only then is fine-tuning advice meaningful. */
  pretrained: boolean;
  augmented: boolean;
  dropout: number;
  trainableFrom: string;
  batchSize: number;
  preprocessing: string;
  epochs: number | null;
  earlyStopping: number | null;
  denseUnits: number;
  numClasses: number;
}

const num = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v)
    ? v
    : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
      ? Number(v)
      : null;

/** `augment` is stored as the trainer's object ({ flip, shift }) or as the flag's text. */
function isAugmented(v: unknown): boolean {
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Boolean(o.flip) || (num(o.shift) ?? 0) > 0;
  }
  if (typeof v === 'string') return v !== '' && v !== 'none';
  return false;
}

export function readRunParams(params: Record<string, unknown>): RunParams {
  const weights = typeof params.weights === 'string' ? params.weights : 'imagenet';
  return {
    optimizer: typeof params.optimizer === 'string' ? params.optimizer : 'rmsprop',
    lr: num(params.lr),
    weights,
    pretrained: weights !== 'none' && !weights.startsWith('none'),
    augmented: isAugmented(params.augment),
    dropout: num(params.dropout) ?? 0,
    trainableFrom: typeof params.trainableFrom === 'string' ? params.trainableFrom : 'block5_conv1',
    batchSize: num(params.batchSize) ?? 64,
    preprocessing: typeof params.preprocessing === 'string' ? params.preprocessing : 'caffe',
    epochs: num(params.epochs),
    earlyStopping: num(params.earlyStopping),
    denseUnits: num(params.denseUnits) ?? 512,
    numClasses: num(params.numClasses) ?? 10,
  };
}

/** A learning rate `factor` times the current one, written as a person would type it. */
export function scaledLr(lr: number | null, factor: number): string {
  const value = Number(((lr ?? 0.001) * factor).toPrecision(1));
  return value >= 0.01 ? String(value) : value.toExponential().replace('e-', 'e-');
}
