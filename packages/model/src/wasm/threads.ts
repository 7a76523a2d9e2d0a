/**
 * Multi-threaded tfjs wasm backend under Node, for @tensorflow/tfjs-backend-wasm 4.22.0 exactly.
 *
 * The stock backend runs one thread in Node for three reasons, each undone here:
 * 1. Its `WASM_HAS_MULTITHREAD_SUPPORT` flag answers false whenever `IS_NODE` (tfjs issue 3830),
 *    so it loads the single-threaded binary. We build the threaded-SIMD module ourselves.
 * 2. Its Emscripten `locateFile` hands pthread workers their script as a `blob:` URL, and sends
 *    the main script as a Blob; Node's `worker_threads` can load neither. We write the worker
 *    script (shipped as a string in `wasm-out/…worker.js`) to a `.cjs` file and pass the main
 *    script as a file path, which the worker reads with `fs` (its Node `importScripts`).
 * 3. Its C++ `init` caps the pool at `emscripten_num_logical_cores() / 2` (assuming
 *    hyper-threads), which is 1 on a 2-core machine. We instantiate the wasm ourselves and answer
 *    that import with `2 × threads`, so the cap equals the count asked for (at most 8: Emscripten
 *    pre-spawns 8 workers).
 * Emscripten `ref()`s each worker that runs a pthread, and the pool's threads never finish, so the
 * process would never exit; we `unref()` them once the pool exists.
 *
 * Everything here depends on the internals of that one version: `assertPinnedVersion` refuses
 * any other.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, Module as NodeModule } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);

/** The only tfjs-backend-wasm version whose internals this file knows. */
export const PINNED_WASM_VERSION = '4.22.0';
/** Emscripten's PTHREAD_POOL_SIZE in that build. */
export const MAX_WASM_THREADS = 8;

interface EmscriptenWorker {
  unref(): void;
}
interface EmscriptenModule {
  cwrap: (name: string, ret: string | null, args: string[]) => (...a: unknown[]) => unknown;
  PThread: { runningWorkers: EmscriptenWorker[]; unusedWorkers: EmscriptenWorker[] };
  tfjs?: Record<string, unknown>;
}
type ModuleFactory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;

// The compiler's lib (ES2023, no DOM) has no WebAssembly types; these are the parts used here.
interface WasmInstance {
  exports: object;
}
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  Instance: new (module: object, imports: object) => WasmInstance;
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmApi };

function assertPinnedVersion(): void {
  if (tfwasm.version_wasm !== PINNED_WASM_VERSION) {
    throw new Error(
      `Threaded wasm backend: @tensorflow/tfjs-backend-wasm ${tfwasm.version_wasm} is installed, ` +
        `but src/wasm/threads.ts is written against ${PINNED_WASM_VERSION}'s internals. ` +
        'Pin it back or re-check each step in that file.',
    );
  }
}

function wasmOutDir(): string {
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
}

/** Writes the pthread worker script once per content, atomically, and returns its path. */
function workerScriptPath(): string {
  const { wasmWorkerContents } = require(
    join(wasmOutDir(), 'tfjs-backend-wasm-threaded-simd.worker.js'),
  ) as { wasmWorkerContents: string };
  // The template literal turned the source's "\n" escapes into newlines; put them back, as
  // tfjs does before making its Blob.
  const source = wasmWorkerContents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const path = join(tmpdir(), `trainbook-tfjs-wasm-${PINNED_WASM_VERSION}-${hash}.worker.cjs`);
  // Checked, not trusted: the temp dir is shared, and this file runs as code in our workers.
  if (!existsSync(path) || readFileSync(path, 'utf8') !== source) {
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, source);
    renameSync(partial, path);
  }
  return path;
}

/**
 * The glue's module factory, with Emscripten's pre-spawned pool cut from 8 workers to `threads`
 * (enough: a pool of 8 always served 8 threads, and tfjs' pthreadpool is the only user). Each
 * worker is a Node worker thread that evaluates the glue and instantiates the module: 8 of them
 * took ~0.7 s of a 2-core machine's startup (selectBackend 1.2 s → 0.4–0.6 s at 2 threads),
 * for up to 7 idle. Workers load the unpatched file: only the main thread sizes the pool.
 */
function loadFactory(mainScript: string, threads: number): ModuleFactory {
  const source = readFileSync(mainScript, 'utf8');
  const pool = 'var pthreadPoolSize=8;';
  if (source.split(pool).length !== 2) {
    throw new Error(
      `Threaded wasm backend: ${mainScript} does not size its pool with '${pool}' once, as ${PINNED_WASM_VERSION}'s does`,
    );
  }
  const glue = new NodeModule(mainScript);
  glue.filename = mainScript;
  glue.paths = (
    NodeModule as unknown as { _nodeModulePaths(dir: string): string[] }
  )._nodeModulePaths(dirname(mainScript));
  (glue as unknown as { _compile(source: string, filename: string): void })._compile(
    source.replace(pool, `var pthreadPoolSize=${threads};`),
    mainScript,
  );
  return glue.exports as ModuleFactory;
}

async function createThreadedModule(threads: number): Promise<EmscriptenModule> {
  const dir = wasmOutDir();
  const mainScript = join(dir, 'tfjs-backend-wasm-threaded-simd.js');
  const wasmFile = join(dir, 'tfjs-backend-wasm-threaded-simd.wasm');
  const factory = loadFactory(mainScript, threads);
  const compiled = await WebAssembly.compile(readFileSync(wasmFile));
  const worker = workerScriptPath();
  const before = new Set<unknown>([
    ...process.listeners('uncaughtException'),
    ...process.listeners('unhandledRejection'),
  ]);
  const module = await factory({
    locateFile: (path: string) => (path.endsWith('.worker.js') ? worker : join(dir, path)),
    // A path string: the worker's Node `importScripts` reads it with fs and evaluates it.
    mainScriptUrlOrBlob: mainScript,
    instantiateWasm: (
      info: { env: Record<string, unknown> },
      receive: (instance: WasmInstance, module: object) => void,
    ) => {
      // C++ divides this by 2 and caps the pool there (see file comment, point 3).
      info.env.emscripten_num_logical_cores = () => threads * 2;
      const instance = new WebAssembly.Instance(compiled, info);
      receive(instance, compiled);
      return instance.exports;
    },
  });
  // The glue installs process handlers that rethrow every uncaught error from inside itself
  // (printing its whole minified source). They serve Emscripten's exit(), which tfjs never calls.
  for (const listener of process.listeners('uncaughtException')) {
    if (!before.has(listener)) process.removeListener('uncaughtException', listener);
  }
  for (const listener of process.listeners('unhandledRejection')) {
    if (!before.has(listener)) process.removeListener('unhandledRejection', listener);
  }
  return module;
}

function addTfjsBridge(module: EmscriptenModule): void {
  // The same bridge tfjs' own init() adds (backend_wasm.ts, 4.22.0).
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
}

/**
 * Replaces the registered 'wasm' backend factory with one that runs `threads` threads in Node.
 * Kernels stay registered under 'wasm', so every stock and custom kernel applies unchanged.
 * Call before the backend is first initialised (before `tf.setBackend('wasm')`).
 */
export function registerThreadedWasmBackend(threads: number): void {
  assertPinnedVersion();
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw new Error(`wasm threads: expected an integer 1–${MAX_WASM_THREADS}, got ${threads}`);
  }
  if (tf.engine().registryFactory.wasm != null) tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const module = await createThreadedModule(threads);
      addTfjsBridge(module);
      tfwasm.setThreadsCount(threads);
      const backend = new tfwasm.BackendWasm(module as never);
      // Pool threads block forever waiting for work; they must not keep the process alive.
      for (const w of module.PThread.runningWorkers) w.unref();
      return backend;
    },
    2,
  );
}
