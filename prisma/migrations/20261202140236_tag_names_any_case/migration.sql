-- Tag names are one tag in any case: `Baseline` and `baseline` are the same tag, which keeps
-- its first spelling. name_key (the name in lower case) is what is unique now.

-- AlterTable
ALTER TABLE "tags" ADD COLUMN     "name_key" TEXT;
UPDATE "tags" SET "name_key" = lower("name");

-- Tags that differ only in case become the oldest of them, which takes over their runs (and
-- their notes, when it has none).
WITH "keep" AS (
  SELECT DISTINCT ON ("name_key") "name_key", "id" FROM "tags" ORDER BY "name_key", "created_at", "id"
), "merged" AS (
  SELECT t."id" AS "from_id", k."id" AS "to_id", t."notes" FROM "tags" t
  JOIN "keep" k ON k."name_key" = t."name_key" AND k."id" <> t."id"
), "moved" AS (
  INSERT INTO "run_tags" ("run_id", "tag_id", "created_at")
  SELECT rt."run_id", m."to_id", rt."created_at" FROM "run_tags" rt JOIN "merged" m ON m."from_id" = rt."tag_id"
  ON CONFLICT DO NOTHING
  RETURNING 1
)
UPDATE "tags" t SET "notes" = m."notes"
FROM "merged" m WHERE t."id" = m."to_id" AND t."notes" = '' AND m."notes" <> '';

DELETE FROM "tags" t WHERE EXISTS (
  SELECT 1 FROM "tags" k WHERE k."name_key" = t."name_key" AND (k."created_at", k."id") < (t."created_at", t."id")
);

ALTER TABLE "tags" ALTER COLUMN "name_key" SET NOT NULL;

-- DropIndex
DROP INDEX "tags_name_key";

-- CreateIndex
CREATE UNIQUE INDEX "tags_name_key_key" ON "tags"("name_key");
