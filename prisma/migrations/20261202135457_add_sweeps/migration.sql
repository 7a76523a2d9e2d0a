-- CreateEnum
CREATE TYPE "SweepStatus" AS ENUM ('running', 'paused', 'cancelled', 'finished');

-- CreateEnum
CREATE TYPE "SweepSearch" AS ENUM ('grid', 'random');

-- CreateEnum
CREATE TYPE "TrialState" AS ENUM ('queued', 'running', 'finished', 'failed', 'stopped', 'cancelled');

-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "attempt" INTEGER,
ADD COLUMN     "sweep_id" TEXT,
ADD COLUMN     "trial_index" INTEGER;

-- CreateTable
CREATE TABLE "sweeps" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "spec" JSONB NOT NULL,
    "search" "SweepSearch" NOT NULL,
    "status" "SweepStatus" NOT NULL DEFAULT 'running',
    "max_attempts" INTEGER NOT NULL DEFAULT 3,
    "lease_seconds" INTEGER NOT NULL DEFAULT 60,
    "early_stopping" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "sweeps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sweep_trials" (
    "sweep_id" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "params" JSONB NOT NULL,
    "config" JSONB NOT NULL,
    "state" "TrialState" NOT NULL DEFAULT 'queued',
    "job_id" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "run_id" TEXT,
    "worker" TEXT,
    "reason" TEXT,
    "stop_requested" TEXT,
    "best_val_accuracy" DOUBLE PRECISION,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sweep_trials_pkey" PRIMARY KEY ("sweep_id","index")
);

-- CreateIndex
CREATE INDEX "sweeps_created_at_idx" ON "sweeps"("created_at");

-- CreateIndex
CREATE INDEX "sweep_trials_sweep_id_state_idx" ON "sweep_trials"("sweep_id", "state");

-- CreateIndex
CREATE INDEX "sweep_trials_sweep_id_best_val_accuracy_idx" ON "sweep_trials"("sweep_id", "best_val_accuracy");

-- CreateIndex
CREATE INDEX "sweep_trials_run_id_idx" ON "sweep_trials"("run_id");

-- CreateIndex
CREATE INDEX "runs_sweep_id_trial_index_idx" ON "runs"("sweep_id", "trial_index");

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_sweep_id_fkey" FOREIGN KEY ("sweep_id") REFERENCES "sweeps"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sweep_trials" ADD CONSTRAINT "sweep_trials_sweep_id_fkey" FOREIGN KEY ("sweep_id") REFERENCES "sweeps"("id") ON DELETE CASCADE ON UPDATE CASCADE;
