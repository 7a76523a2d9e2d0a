import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { loadCopyKernels } from './wasm/kernels/copy-kernels.js';
import type { WasmBackend } from './wasm/kernels/kernel-utils.js';
import { registerFastWasmKernels } from './wasm/kernels/register.js';
import { MAX_WASM_THREADS, registerThreadedWasmBackend } from './wasm/threads.js';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendSelection {
  /** The tfjs backend now active. */
  backend: BackendName;
  /** Why this one: what was asked, and what was tried and failed before it. */
  reason: string;
  /** Worker threads doing math (wasm: its pool, which counts the calling thread). */
  threads: number | null;
  /** Things a person should see, e.g. that cpu is ~200× slower than the alternatives. */
  warnings: string[];
}

export interface SelectBackendOptions {
  /** wasm threads; default: the machine's cores, at most 8. */
  wasmThreads?: number;
}

const CPU_WARNING =
  "tfjs 'cpu' backend: plain JavaScript, about 0.005× PyTorch on this kind of machine; " +
  'use it to check correctness, not to train';

/** Threads of the wasm module this process started, if any: it can start only once. */
let wasmThreads: number | null = null;

/**
 * Activates a tfjs backend and says which and why. 'auto' tries, in order, the native
 * TensorFlow backend (the optional dependency @tensorflow/tfjs-node, absent where its install
 * could not download libtensorflow), our multi-threaded wasm backend with its training kernels,
 * then 'cpu' with a warning. An explicit choice that cannot start throws; nothing falls back
 * unless 'auto' was asked. Switching later is allowed (tests compare backends), except that
 * the wasm module starts once per process, so its thread count is fixed by the first start.
 */
export async function selectBackend(
  choice: BackendChoice = 'auto',
  options: SelectBackendOptions = {},
): Promise<BackendSelection> {
  const threads = options.wasmThreads ?? Math.min(availableParallelism(), MAX_WASM_THREADS);
  if (choice === 'tensorflow') return startTensorflow('asked for tensorflow');
  if (choice === 'wasm') return startWasm(threads, 'asked for wasm');
  if (choice === 'cpu') return startCpu('asked for cpu');
  if (choice !== 'auto') {
    throw new Error(`backend: expected 'auto', 'tensorflow', 'wasm' or 'cpu', got '${choice}'`);
  }
  const failures: string[] = [];
  for (const attempt of [
    () => startTensorflow('auto: native TensorFlow is the fastest'),
    () => startWasm(threads, `auto: tensorflow unavailable (${failures[0]})`),
  ]) {
    try {
      return await attempt();
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  return startCpu(`auto: tensorflow and wasm both failed (${failures.join('; ')})`);
}

async function startTensorflow(reason: string): Promise<BackendSelection> {
  const moduleName = '@tensorflow/tfjs-node';
  try {
    // A variable specifier keeps TypeScript from requiring the optional package's types.
    await import(moduleName);
  } catch (error) {
    throw new Error(
      `${moduleName} is not installed or failed to load ` +
        `(${error instanceof Error ? error.message.split('\n')[0] : String(error)}); its install ` +
        'downloads libtensorflow, which needs network access beyond the npm registry',
    );
  }
  if (!(await tf.setBackend('tensorflow'))) {
    throw new Error(`${moduleName} loaded but tfjs could not start its 'tensorflow' backend`);
  }
  return { backend: 'tensorflow', reason, threads: null, warnings: [] };
}

async function startWasm(threads: number, reason: string): Promise<BackendSelection> {
  await import('@tensorflow/tfjs-backend-wasm');
  if (wasmThreads == null) {
    registerThreadedWasmBackend(threads);
    registerFastWasmKernels();
    wasmThreads = threads;
  } else if (wasmThreads !== threads) {
    throw new Error(
      `wasm backend already started with ${wasmThreads} threads in this process; ${threads} asked`,
    );
  }
  if (!(await tf.setBackend('wasm'))) {
    throw new Error("tfjs could not start its 'wasm' backend (see the error logged above)");
  }
  const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  const actual = getThreadsCount();
  if (actual !== threads) {
    throw new Error(`wasm backend started ${actual} threads, ${threads} were asked`);
  }
  const warnings: string[] = [];
  try {
    await loadCopyKernels(tf.backend() as unknown as WasmBackend);
  } catch (error) {
    warnings.push(
      `wasm copy kernels unavailable (${error instanceof Error ? error.message : String(error)}); ` +
        'conv filter gradients build their patches in JavaScript, about 5× slower',
    );
    process.emitWarning(warnings[0]!, 'TrainbookBackendWarning');
  }
  return { backend: 'wasm', reason, threads: actual, warnings };
}

async function startCpu(reason: string): Promise<BackendSelection> {
  if (!(await tf.setBackend('cpu'))) throw new Error("tfjs could not start its 'cpu' backend");
  // Node's warning channel: printed once to stderr unless the app handles 'warning' events.
  process.emitWarning(CPU_WARNING, 'TrainbookBackendWarning');
  return { backend: 'cpu', reason, threads: 1, warnings: [CPU_WARNING] };
}
