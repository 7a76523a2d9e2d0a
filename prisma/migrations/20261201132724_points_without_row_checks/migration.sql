-- DropForeignKey
ALTER TABLE "metric_points" DROP CONSTRAINT "metric_points_series_id_fkey";

-- DropForeignKey
ALTER TABLE "metric_rollups" DROP CONSTRAINT "metric_rollups_series_id_fkey";

-- Points and rollups go with their series. A foreign key did this before, but its check
-- ran once per inserted point and cost more than the insert. Writers hold the series rows
-- FOR KEY SHARE while they insert, so a series cannot be deleted under a batch in flight;
-- the trigger's statements see what such a batch committed before the delete went ahead.
CREATE FUNCTION "metric_series_delete_points"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "metric_points" WHERE "series_id" IN (SELECT "id" FROM removed);
  DELETE FROM "metric_rollups" WHERE "series_id" IN (SELECT "id" FROM removed);
  RETURN NULL;
END
$$;

CREATE TRIGGER "metric_series_delete_points"
  AFTER DELETE ON "metric_series" REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION "metric_series_delete_points"();
