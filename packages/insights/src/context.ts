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
    env: run.env ?? {},
    lr: typeof run.params.lr === 'number' ? run.params.lr : null,
    optimizer: typeof run.params.optimizer === 'string' ? run.params.optimizer : null,
    epochSeconds: (epoch: number) => epochs.find((e) => e.epoch === epoch)?.epoch_seconds ?? null,
  };
}

export type Analysis = ReturnType<typeof analyse>;

/** A learning rate a few times lower, written as a person would type it. */
export function lowerLr(lr: number | null, factor: number): string {
  const value = (lr ?? 0.001) / factor;
  return value.toExponential(0).replace('e+0', '').replace('e+', 'e');
}
