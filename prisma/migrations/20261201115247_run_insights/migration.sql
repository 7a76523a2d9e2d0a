-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "insights" JSONB NOT NULL DEFAULT '{}';
