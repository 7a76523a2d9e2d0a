import * as tf from '@tensorflow/tfjs';

export type EngineChoice = 'auto' | 'tfjs' | 'onnx';

export interface EngineChoiceSpec<T> {
  /** The option's name in messages: 'frozenEngine', 'suffixEngine'. */
  option: string;
  /** The part of the model in warnings: 'frozen layers', 'trainable layers'. */
  part: string;
  /** How the tfjs fallback compares, for the warning: 'run on tfjs wasm, several times slower'. */
  fallback: (backend: string) => string;
  /** Node's warning type for the fallback. */
  warningType: string;
  choice: EngineChoice;
  /** Why ONNX Runtime cannot take this part, if it cannot. */
  unsupported?: string | undefined;
  tfjs: (reason: string, warnings: string[]) => T;
  onnx: (reason: string) => Promise<T>;
}

/**
 * The one way a part of the model picks tfjs or ONNX Runtime. 'auto': tfjs when it runs on
 * native TensorFlow (tfjs-node), which is as fast; else ONNX Runtime unless the part is one it
 * cannot take (then tfjs, saying why); should ONNX Runtime fail to start, tfjs again, with a
 * warning on Node's warning channel. 'onnx' throws where 'auto' would fall back; 'tfjs' always
 * works.
 */
export async function chooseEngine<T>(spec: EngineChoiceSpec<T>): Promise<T> {
  const { option, choice } = spec;
  if (choice !== 'auto' && choice !== 'tfjs' && choice !== 'onnx') {
    throw new Error(`${option}: expected 'auto', 'tfjs' or 'onnx', got '${choice}'`);
  }
  const backend = tf.getBackend();
  if (choice === 'tfjs') return spec.tfjs('asked for tfjs', []);
  if (choice === 'auto' && backend === 'tensorflow') {
    return spec.tfjs('auto: tfjs runs on native TensorFlow (tfjs-node)', []);
  }
  if (spec.unsupported !== undefined) {
    if (choice === 'onnx') throw new Error(`${option} 'onnx': ${spec.unsupported}`);
    return spec.tfjs(`auto: ${spec.unsupported}`, []);
  }
  try {
    return await spec.onnx(
      choice === 'onnx' ? 'asked for onnx' : `auto: tfjs runs on ${backend}, not native`,
    );
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    if (choice === 'onnx') throw new Error(`${option} 'onnx': ${why}`);
    const warning = `${spec.part}: ONNX Runtime unavailable (${why}); they ${spec.fallback(backend)}`;
    process.emitWarning(warning, spec.warningType);
    return spec.tfjs(`auto: onnx failed (${why})`, [warning]);
  }
}
