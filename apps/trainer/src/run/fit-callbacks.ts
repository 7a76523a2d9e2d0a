import { type EpochMetrics, epochPoints } from '@trainbook/metrics';
import type { FitCallbacks } from '@trainbook/model';
import type { ConsoleOutput } from '../console/console-output.js';
import type { RunReporter } from '../reporting/run-reporter.js';

/** Per-batch points go out at most this often (the first batch's always). */
const batchEveryMs = 1000;

/**
 * fit's awaits settle as microtasks only, so without this the event loop would not turn during
 * training: no report would go out, no heartbeat, and Ctrl-C would not be seen until the end.
 */
const yieldToEventLoop = () => new Promise<void>((done) => setImmediate(done));

/**
 * fit's callbacks for a run: the console's progress, per-batch points (throttled), and each
 * epoch's metrics — logged, checkpointed and kept in `history` for the summary and diagnosis.
 */
export function fitCallbacks(options: {
  reporter: RunReporter;
  output: ConsoleOutput;
  epochs: number;
  batchSize: number;
  batchesPerEpoch: number;
  trainImages: number;
  lr: number;
}): { callbacks: FitCallbacks; history: EpochMetrics[] } {
  const { reporter, output } = options;
  const history: EpochMetrics[] = [];
  let epochStart = performance.now();
  // CPU time of the whole process (every thread: the wasm pool, ONNX Runtime's worker).
  let epochCpuStart = process.cpuUsage();
  let trainEnd = epochStart;
  let running = { loss: 0, correct: 0, images: 0 };
  let lastBatchPoint = 0;
  const callbacks: FitCallbacks = {
    onCacheProgress: async ({ subset, done, total }) => {
      if (done === total || done % (options.batchSize * 50) < options.batchSize)
        output.info(`caching frozen features (${subset}): ${done}/${total}`);
      epochStart = performance.now();
      epochCpuStart = process.cpuUsage();
      await yieldToEventLoop();
    },
    onBatchEnd: async ({ epoch, batch, step }, logs) => {
      if (batch === 0) {
        output.epochStart(epoch + 1, options.epochs);
        running = { loss: 0, correct: 0, images: 0 };
      }
      running.loss += logs.loss * logs.size;
      running.correct += logs.accuracy * logs.size;
      running.images += logs.size;
      output.batch({
        batch: batch + 1,
        batches: options.batchesPerEpoch,
        loss: running.loss / running.images,
        accuracy: running.correct / running.images,
      });
      const now = Date.now();
      if (step === 0 || now - lastBatchPoint >= batchEveryMs) {
        lastBatchPoint = now;
        const at = { step, epoch: epoch + 1, wallTime: now };
        reporter.log([
          { key: 'batch/loss', value: logs.loss, ...at },
          { key: 'batch/accuracy', value: logs.accuracy, ...at },
        ]);
      }
      trainEnd = performance.now();
      await yieldToEventLoop();
      return undefined;
    },
    onEpochEnd: (epoch, logs) => {
      const now = performance.now();
      const cpu = process.cpuUsage(epochCpuStart);
      const metrics = {
        epoch: epoch + 1,
        loss: logs.loss,
        accuracy: logs.accuracy,
        val_loss: logs.val_loss,
        val_accuracy: logs.val_accuracy,
        lr: options.lr,
        epoch_seconds: (now - epochStart) / 1000,
        images_per_second: options.trainImages / ((trainEnd - epochStart) / 1000),
      } satisfies EpochMetrics;
      epochStart = now;
      epochCpuStart = process.cpuUsage();
      history.push(metrics);
      reporter.log(epochPoints(metrics, Date.now()));
      reporter.checkpoint();
      output.epochEnd({
        epoch: epoch + 1,
        epochs: options.epochs,
        seconds: metrics.epoch_seconds,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        imagesPerSecond: metrics.images_per_second,
        loss: logs.loss,
        accuracy: logs.accuracy,
        val_loss: logs.val_loss,
        val_accuracy: logs.val_accuracy,
      });
      return undefined;
    },
  };
  return { callbacks, history };
}
