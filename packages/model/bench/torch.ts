import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface TorchFigures {
  version: string;
  threads: number;
  images_per_s: Record<'forward' | 'train' | 'cache' | 'cached_train', number>;
  gflops: Record<string, number>;
}

const python = '/usr/bin/python3';

/** Runs bench/torch_bench.py, or says why not (no torch: `apt-get install -y python3-torch`). */
export function runTorch(threads: number, batch: number, seconds: number): TorchFigures | string {
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return `PyTorch skipped: \`${python} -c 'import torch'\` failed (install it with: apt-get install -y python3-torch)`;
  }
  const script = fileURLToPath(new URL('./torch_bench.py', import.meta.url));
  const run = spawnSync(python, [script, String(threads), String(batch), String(seconds)], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: String(threads) },
  });
  if (run.status !== 0) return `PyTorch run failed: ${run.stderr.trim().split('\n').at(-1)}`;
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as TorchFigures;
}
