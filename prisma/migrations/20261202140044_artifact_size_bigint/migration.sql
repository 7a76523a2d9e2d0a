-- AlterTable
ALTER TABLE "artifacts" ALTER COLUMN "size" SET DATA TYPE BIGINT;
