import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type TorchMeasure = 'forward' | 'train' | 'cache' | 'cached_train' | 'conv';

/** A running bench/torch_bench.py that answers one measure at a time. */
export interface Torch {
  version: string;
  threads: number;
  measure(name: Exclude<TorchMeasure, 'conv'>): Promise<number>;
  /** The measure's images/s and images per CPU-second of the Python process. */
  measureWithCpu(name: Exclude<TorchMeasure, 'conv'>): Promise<{ wall: number; cpu: number }>;
  conv(): Promise<Record<string, number>>;
  close(): void;
}

const python = '/usr/bin/python3';

/** Starts the PyTorch side, or says why not (no torch: `apt-get install -y python3-torch`). */
export async function startTorch(
  threads: number,
  batch: number,
  seconds: number,
): Promise<Torch | string> {
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return `PyTorch skipped: \`${python} -c 'import torch'\` failed (install it with: apt-get install -y python3-torch)`;
  }
  const script = fileURLToPath(new URL('./torch_bench.py', import.meta.url));
  const child = spawn(python, [script, String(threads), String(batch), String(seconds)], {
    env: { ...process.env, OMP_NUM_THREADS: String(threads) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('PyTorch bench exited early (see its error above)');
    return JSON.parse(value) as Record<string, unknown>;
  };
  const answer = async (name: TorchMeasure) => {
    child.stdin.write(`${name}\n`);
    return await next();
  };
  const ask = async (name: TorchMeasure) => (await answer(name)).value;
  const hello = await next();
  return {
    version: String(hello.version),
    threads: Number(hello.threads),
    measure: async (name) => Number(await ask(name)),
    measureWithCpu: async (name) => {
      const reply = await answer(name);
      return { wall: Number(reply.value), cpu: Number(reply.cpu) };
    },
    conv: async () => (await ask('conv')) as Record<string, number>,
    close: () => child.stdin.end(),
  };
}
