import { usualLearningRates } from './config-smells.js';
import { readRunParams, scaledLr } from './run-params.js';
import { argBest, column, slope } from './series.js';
import type { RunForDiagnosis } from './types.js';

/** What several rules need, computed once. */
export function analyse(run: RunForDiagnosis) {
  const epochs = [...run.epochs].sort((a, b) => a.epoch - b.epoch);
  const loss = column(epochs, 'loss');
  const acc = column(epochs, 'accuracy');
  const valLoss = column(epochs, 'val_loss');
  const valAcc = column(epochs, 'val_accuracy');
  const bestAcc = argBest(valAcc, 'max');
  const bestLoss = argBest(valLoss, 'min');
  const gaps: [number, number][] = acc.flatMap(([epoch, a]) => {
    const v = valAcc.find(([e]) => e === epoch);
    return v ? [[epoch, a - v[1]] as [number, number]] : [];
  });
  const lastEpoch = epochs.at(-1)?.epoch ?? 0;
  const bestEpoch = bestAcc?.[0] ?? bestLoss?.[0] ?? null;
  const params = readRunParams(run.params);
  return {
    epochs,
    lastEpoch,
    loss,
    acc,
    valLoss,
    valAcc,
    gaps,
    bestAcc,
    bestLoss,
    bestEpoch,
    bestBy: bestAcc ? ('val_accuracy' as const) : bestLoss ? ('val_loss' as const) : null,
    gapTrend: slope(gaps.slice(-Math.max(3, Math.ceil(gaps.length / 2)))),
    params: run.params,
    /** The params advice depends on, in one shape. */
    run: params,
    env: run.env ?? {},
    lr: params.lr,
    optimizer: params.optimizer,
    /** Where this optimiser's learning rate usually lies, if known. */
    usualLr: usualLearningRates[params.optimizer] ?? null,
    /**
     * The run's learning rate times `factor`, as a flag value; a step out of the optimiser's
     * usual range stops at its edge, so every finding proposes the same value for a direction.
     */
    lrTimes: (factor: number) => {
      const range = usualLearningRates[params.optimizer];
      const lr = params.lr ?? 0.001;
      if (range && factor < 1 && lr * factor > range[1]) return scaledLr(range[1], 1);
      if (range && factor > 1 && lr * factor < range[0]) return scaledLr(range[0], 1);
      return scaledLr(lr, factor);
    },
    epochSeconds: (epoch: number) => epochs.find((e) => e.epoch === epoch)?.epoch_seconds ?? null,
  };
}

export type Analysis = ReturnType<typeof analyse>;
