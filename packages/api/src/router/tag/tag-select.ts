export const tagSelect = {
  id: true,
  name: true,
  colour: true,
  notes: true,
  createdAt: true,
} as const;
