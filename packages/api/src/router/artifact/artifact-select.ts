export const artifactSelect = {
  id: true,
  runId: true,
  kind: true,
  name: true,
  location: true,
  size: true,
  sha256: true,
  meta: true,
  createdAt: true,
} as const;

/** The size is a bigint in the store; every size it takes fits a number exactly (≤ 2^53 − 1). */
export const toArtifact = <T extends { size: bigint }>(
  row: T,
): Omit<T, 'size'> & { size: number } => ({
  ...row,
  size: Number(row.size),
});
