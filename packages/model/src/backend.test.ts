import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from './backend.js';

const tfjsNodeInstalled = (() => {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();

function runChild(args: string[]): Promise<{ code: number | null; stdout: string; ms: number }> {
  const script = fileURLToPath(new URL('./testing/threaded-child.ts', import.meta.url));
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`child did not exit by itself within 60 s; stdout: ${stdout}`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, ms: Date.now() - started });
    });
  });
}

describe('selectBackend', () => {
  it.skipIf(tfjsNodeInstalled)(
    "'tensorflow' fails clearly where @tensorflow/tfjs-node could not install",
    async () => {
      await expect(selectBackend('tensorflow')).rejects.toThrow(
        /@tensorflow\/tfjs-node is not installed.*libtensorflow/,
      );
    },
  );

  it("'auto' reports what it skipped and why, then runs threaded wasm", async () => {
    const selection = await selectBackend('auto');
    expect(selection.backend).toBe(tfjsNodeInstalled ? 'tensorflow' : 'wasm');
    if (!tfjsNodeInstalled) {
      expect(selection.reason).toMatch(
        /tensorflow unavailable \(@tensorflow\/tfjs-node is not installed/,
      );
      expect(selection.threads).toBeGreaterThanOrEqual(1);
      expect(tf.getBackend()).toBe('wasm');
    }
  });

  it("'cpu' runs with a warning", async () => {
    const warnings: string[] = [];
    const listener = (w: Error) => warnings.push(w.message);
    process.on('warning', listener);
    const selection = await selectBackend('cpu');
    await new Promise((r) => setImmediate(r));
    process.off('warning', listener);
    expect(selection).toMatchObject({ backend: 'cpu', threads: 1 });
    expect(selection.warnings[0]).toMatch(/last resort|0\.005× PyTorch/);
    expect(warnings.some((w) => w.includes('0.005× PyTorch'))).toBe(true);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('rejects an unknown backend name', async () => {
    await expect(selectBackend('webgpu' as 'cpu')).rejects.toThrow(
      /expected 'auto', 'tensorflow', 'wasm' or 'cpu', got 'webgpu'/,
    );
  });

  it('runs wasm with 2 threads in Node, and the process still exits by itself', async () => {
    const result = await runChild(['2']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toEqual({
      backend: 'wasm',
      threads: 2,
    });
  });
});
