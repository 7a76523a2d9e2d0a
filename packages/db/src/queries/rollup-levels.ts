/**
 * Rollup levels kept at ingest: level L summarises buckets of 2^L steps. A factor of 16
 * between levels means a downsampled read never aggregates more than 16 rows per output
 * bucket, while the rollups cost about 1/15 of the raw points in storage.
 */
export const rollupLevels = [4, 8, 12, 16, 20] as const;
