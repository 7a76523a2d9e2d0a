import { diagnose } from '../diagnose.js';
import type { Diagnosis, RunForDiagnosis } from '../types.js';

/** The diagnosis after each epoch, as the tracker refreshes it while the run trains. */
export function liveReplay(run: RunForDiagnosis): Diagnosis[] {
  const epochs = [...run.epochs].sort((a, b) => a.epoch - b.epoch);
  return epochs.map((_, i) => diagnose({ ...run, epochs: epochs.slice(0, i + 1) }));
}
