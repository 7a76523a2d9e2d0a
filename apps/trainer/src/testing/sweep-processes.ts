import { runTrainerProgram, type TrainerProcess } from './processes.js';

/** A trainer-side program (`pnpm sweep`, `pnpm worker`) as its own process, like runTrainer. */
export function runProgram(
  program: 'sweep/sweep-main.ts' | 'worker/worker-main.ts',
  args: string[],
  env: Record<string, string | undefined>,
): TrainerProcess {
  return runTrainerProgram(program, args, env);
}
