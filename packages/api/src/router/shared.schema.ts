import { z } from 'zod';

// PostgreSQL text and jsonb cannot hold U+0000: refused at the edge, with the field named.
const hasNul = (text: string) => text.includes('\u0000');
const nulMessage = (field: string) =>
  `${field}: contains a NUL character (\\u0000), which the tracker cannot store`;

// Characters that reorder what follows them: U+202E makes "evil\u202Egnp.exe" read as
// "evilexe.png". Right-to-left text itself is fine; these invisible overrides are not.
const noBidi = /^[^\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$/;

/** Free text (notes, reasons, filters): any characters but NUL. */
export const text = (field: string) => z.string().refine((s) => !hasNul(s), nulMessage(field));

/**
 * A name people read and pick from a list (run, artifact): no NUL and no bidirectional
 * control characters, which could make one name pass for another.
 */
export const displayName = (field: string) =>
  text(field).regex(
    noBidi,
    `${field}: contains a bidirectional control character (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F or U+061C), which can make a name read as another`,
  );

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
  .refine((s) => !hasNul(s), nulMessage('tag'))
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
/** Deep enough for any params or summary; shallow enough to walk without a deep stack. */
export const maxJsonDepth = 64;

type JsonValue = z.core.util.JSONType;

/** The first thing that keeps `value` from being plain JSON the store can keep, or null. */
function jsonProblem(value: unknown, field: string): string | null {
  const ancestors: object[] = [];
  const walk = (v: unknown, at: string, depth: number): string | null => {
    switch (typeof v) {
      case 'string':
        return hasNul(v) ? nulMessage(at) : null;
      case 'number':
        return Number.isFinite(v) ? null : `${at}: expected a finite number, got ${v}`;
      case 'boolean':
        return null;
      case 'object': {
        if (v === null) return null;
        if (depth >= maxJsonDepth) return `${at}: nested deeper than ${maxJsonDepth} levels`;
        if (ancestors.includes(v)) return `${at}: refers back to itself (a cyclic reference)`;
        const proto = Object.getPrototypeOf(v);
        if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) {
          return `${at}: expected JSON (string, number, boolean, null, array or object), got ${proto?.constructor?.name ?? 'an object'}`;
        }
        ancestors.push(v);
        for (const [key, item] of Object.entries(v)) {
          if (hasNul(key))
            return `${at}: a key contains a NUL character (\\u0000), which the tracker cannot store`;
          const problem = walk(item, `${at}.${key}`, depth + 1);
          if (problem) return problem;
        }
        ancestors.pop();
        return null;
      }
      default:
        return `${at}: expected JSON (string, number, boolean, null, array or object), got ${typeof v}`;
    }
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `${field}: expected a JSON object`;
  return walk(value, field, 0);
}

/**
 * A JSON object (params, env, summary, meta): plain JSON values only, no NUL, at most
 * {@link maxJsonDepth} levels deep, no cycles (superjson can express them), at most 256 KB
 * once serialised. Every refusal names the field, e.g. `params.augment.flip`.
 */
export const jsonObject = (field: string) =>
  z
    .custom<Record<string, JsonValue>>(() => true)
    .superRefine((value, ctx) => {
      const problem = jsonProblem(value, field);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return;
      }
      if (JSON.stringify(value).length > maxJsonBytes)
        ctx.addIssue({
          code: 'custom',
          message: `${field}: expected a JSON object of at most ${maxJsonBytes} bytes`,
        });
    });

export const notes = text('notes').max(1_000_000, 'notes: at most 1,000,000 characters');

export const runStatus = z.enum(['running', 'finished', 'failed', 'crashed', 'killed']);
