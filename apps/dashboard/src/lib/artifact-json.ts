import { z } from 'zod';

/**
 * The JSON the trainer writes for these artifact kinds (inline, contentBase64 of UTF-8 JSON):
 *
 *   confusion_matrix:   { "classes": ["airplane", …], "matrix": [[count, …], …] }
 *                       matrix[true class][predicted class], counts over the validation/test set
 *   per_class_accuracy: { "classes": ["airplane", …], "accuracy": [0.91, …] }   (0‥1)
 */
export const confusionMatrixJson = z
  .object({ classes: z.array(z.string()).min(1), matrix: z.array(z.array(z.number())) })
  .refine(
    (v) =>
      v.matrix.length === v.classes.length &&
      v.matrix.every((row) => row.length === v.classes.length),
    {
      message: 'matrix must be classes × classes',
    },
  );

export const perClassAccuracyJson = z
  .object({ classes: z.array(z.string()).min(1), accuracy: z.array(z.number()) })
  .refine((v) => v.accuracy.length === v.classes.length, { message: 'one accuracy per class' });

export type ConfusionMatrix = z.infer<typeof confusionMatrixJson>;
export type PerClassAccuracy = z.infer<typeof perClassAccuracyJson>;

/** Decodes an inline JSON artifact, or says why it cannot be shown. */
export function readJsonArtifact<T>(
  schema: z.ZodType<T>,
  contentBase64: string | null,
): { ok: true; value: T } | { ok: false; message: string } {
  if (!contentBase64) return { ok: false, message: 'stored by location, not inline' };
  try {
    const parsed = schema.safeParse(
      JSON.parse(Buffer.from(contentBase64, 'base64').toString('utf8')),
    );
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, message: parsed.error.issues[0]?.message ?? 'bad shape' };
  } catch (e) {
    return { ok: false, message: `not JSON (${(e as Error).message})` };
  }
}
