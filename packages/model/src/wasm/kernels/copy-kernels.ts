import { readFileSync } from 'node:fs';
import wabtInit from 'wabt';
import type { WasmBackend } from './kernel-utils.js';

/**
 * The loops over one filter tap (see im2col.ts): byte addresses of the source and the
 * destination, then the geometry.
 */
type TapLoop = (
  src: number,
  dst: number,
  channels: number,
  count: number,
  inHeight: number,
  inWidth: number,
  outHeight: number,
  outWidth: number,
  strideHeight: number,
  strideWidth: number,
  ihBase: number,
  shift: number,
  lo: number,
  hi: number,
) => void;

/** The exports of copy-kernels.wat. Addresses are byte offsets into tfjs' wasm memory. */
export interface CopyKernels {
  transpose2d(src: number, dst: number, rows: number, cols: number): void;
  addInto(dst: number, src: number, n: number): void;
  im2colTap: TapLoop;
  col2imTap: TapLoop;
  rmspropStep(
    value: number,
    meanSquare: number,
    moments: number,
    gradient: number,
    valueOut: number,
    meanSquareOut: number,
    momentsOut: number,
    n: number,
    decay: number,
    keep: number,
    momentum: number,
    learningRate: number,
    epsilon: number,
    /** ms' below this is stored as 0 (0: stock; see copy-kernels.wat). */
    msFloor: number,
    /** |g| below this adds nothing to ms' (0: stock). */
    gFloor: number,
  ): void;
}

// This package compiles without the DOM library, which is where TypeScript declares
// WebAssembly; the little used here, as Node 20 has it.
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  instantiate(
    binary: Uint8Array,
    imports: Record<string, Record<string, unknown>>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

let loaded: CopyKernels | null = null;

/** The copy kernels once {@link loadCopyKernels} has run for this process's wasm backend. */
export function copyKernels(): CopyKernels | null {
  return loaded;
}

/**
 * Compiles copy-kernels.wat (wabt, about 0.1 s) against the memory of the running wasm
 * backend, so that its loops read and write tensors where they lie. Once per process.
 * @throws when the backend exposes no WebAssembly.Memory or the module cannot be built.
 */
export async function loadCopyKernels(backend: WasmBackend): Promise<CopyKernels> {
  if (loaded) return loaded;
  const memory = (backend.wasm as { wasmMemory?: unknown }).wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new Error('the tfjs wasm module exposes no WebAssembly.Memory (wasmMemory)');
  }
  loaded = await compileCopyKernels(memory);
  return loaded;
}

/**
 * Builds copy-kernels.wat on `memory`, shared (tfjs' threaded build) or not.
 * {@link loadCopyKernels} is what the backend uses; this is it without the once-per-process.
 */
export async function compileCopyKernels(memory: WasmMemory): Promise<CopyKernels> {
  const shared =
    typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const { instance } = await WebAssembly.instantiate(await copyKernelsBinary(shared), {
    env: { memory },
  });
  return instance.exports as unknown as CopyKernels;
}

/**
 * copy-kernels.wat as a wasm binary that imports its memory as `env.memory`: shared (with a
 * 4 GiB maximum) or not. For a worker thread that instantiates it on a memory of its own.
 */
export async function copyKernelsBinary(shared: boolean): Promise<Uint8Array> {
  const text = readFileSync(new URL('./copy-kernels.wat', import.meta.url), 'utf8').replace(
    '(memory MEMORY_LIMITS)',
    shared ? '(memory 1 65536 shared)' : '(memory 1)',
  );
  const wabt = await wabtInit();
  const features = { simd: true, threads: shared };
  const parsed = wabt.parseWat('copy-kernels.wat', text, features);
  try {
    // validate() takes the features too (its typings omit them); without them it refuses
    // a shared memory.
    (parsed.validate as (features: object) => void)(features);
    return parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
}

/** The kernels on a new, unshared memory of at least `bytes` (for tests and benches). */
export async function copyKernelsOnOwnMemory(
  bytes: number,
): Promise<{ kernels: CopyKernels; buffer: ArrayBuffer }> {
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  return { kernels: await compileCopyKernels(memory), buffer: memory.buffer as ArrayBuffer };
}
