import { z } from 'zod';
import { displayName, jsonObject, runId, text } from '../shared.schema.js';

/** Small artifacts travel inline (8 MB at most); large ones (a saved model) by location. */
export const maxInlineBytes = 8 * 1024 * 1024;

export const artifactKind = z.enum([
  'model',
  'confusion_matrix',
  'per_class_accuracy',
  'image',
  'file',
]);

export const registerArtifactInput = z
  .object({
    runId,
    kind: artifactKind,
    name: displayName('name')
      .trim()
      .min(1, 'name: expected a non-empty name')
      .max(255, 'name: at most 255 characters'),
    /** A path or URL where the artifact's bytes live. */
    location: text('location')
      .min(1, 'location: expected a path or URL')
      .max(4096, 'location: at most 4096 characters')
      .optional(),
    /** The bytes themselves, base64-encoded. */
    contentBase64: z
      .string()
      .max(
        Math.ceil(maxInlineBytes / 3) * 4,
        'contentBase64: at most 8 MB inline; register larger files by location',
      )
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'contentBase64: expected base64')
      .optional(),
    size: z
      .number()
      .int('size: expected a whole number of bytes')
      .min(0, 'size: expected ≥ 0 bytes')
      .max(Number.MAX_SAFE_INTEGER, 'size: at most 9,007,199,254,740,991 bytes (2^53 − 1)')
      .optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'sha256: expected 64 lower-case hex digits')
      .optional(),
    meta: jsonObject('meta').default({}),
  })
  .refine((v) => (v.location === undefined) !== (v.contentBase64 === undefined), {
    message: 'expected exactly one of location or contentBase64',
  })
  .refine(
    (v) => v.contentBase64 !== undefined || (v.size !== undefined && v.sha256 !== undefined),
    {
      message: 'an artifact registered by location needs its size and sha256',
    },
  );

export const listArtifactsInput = z.object({ runId });
export const getArtifactInput = z.object({ id: z.string().uuid('id: expected an artifact id') });
