import { z } from 'zod';

export const runId = z
  .string()
  .min(1, 'runId: expected a non-empty id')
  .max(128, 'runId: at most 128 characters')
  .regex(/^[A-Za-z0-9._:-]+$/, 'runId: letters, digits and . _ : - only');

export const metricKey = z
  .string()
  .min(1, 'key: expected a non-empty metric name')
  .max(250, 'key: at most 250 characters')
  .regex(
    /^[A-Za-z0-9_./ -]+$/,
    'key: letters, digits, spaces and _ . / - only (e.g. val_accuracy)',
  );

/** Tag names are words, not markup or SQL: letters, digits, space and _ . : / + - inside. */
export const tagName = z
  .string()
  .trim()
  .min(1, 'tag: expected a non-empty name')
  .max(64, 'tag: at most 64 characters')
  .regex(
    /^[\p{L}\p{N}](?:[\p{L}\p{N} _.:/+-]*[\p{L}\p{N}])?$/u,
    'tag: letters and digits, with space _ . : / + - between them (no quotes, semicolons or brackets)',
  );

export const colour = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'colour: expected #rrggbb, e.g. #f97316');

const maxJsonBytes = 256 * 1024;

/** A JSON object (params, env, summary, meta), at most 256 KB once serialised. */
export const jsonObject = z
  .record(z.string(), z.json())
  .refine((value) => JSON.stringify(value).length <= maxJsonBytes, {
    message: `expected a JSON object of at most ${maxJsonBytes} bytes`,
  });

export const notes = z.string().max(1_000_000, 'notes: at most 1,000,000 characters');

export const runStatus = z.enum(['running', 'finished', 'failed', 'crashed', 'killed']);
