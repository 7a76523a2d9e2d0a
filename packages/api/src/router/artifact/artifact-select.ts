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
