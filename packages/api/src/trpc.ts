import { isStoreUnavailable } from '@trainbook/db';
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError, z } from 'zod';
import type { Context } from './context.js';
import { maxJsonDepth } from './router/shared.schema.js';

/**
 * The top-level field of `input` under which it nests deeper than any input may (the
 * procedures' own checks allow {@link maxJsonDepth} levels inside a field), or null. Walked
 * without recursion: a 5,000-deep value must not exhaust the stack before it is refused.
 */
function tooDeep(input: unknown): string | null {
  const limit = maxJsonDepth + 2;
  if (typeof input !== 'object' || input === null) return null;
  const stack: [unknown, string, number][] = [[input, '', 0]];
  while (stack.length > 0) {
    const [value, field, depth] = stack.pop()!;
    if (depth > limit) return field || 'input';
    // Only objects nest: the 10,000 numbers of a metric batch are skipped, not visited.
    if (Array.isArray(value)) {
      for (const item of value)
        if (typeof item === 'object' && item !== null) stack.push([item, field, depth + 1]);
    } else {
      for (const key in value as object) {
        const item = (value as Record<string, unknown>)[key];
        if (typeof item === 'object' && item !== null)
          stack.push([item, depth === 0 ? key : field, depth + 1]);
      }
    }
  }
  return null;
}

/**
 * superjson, with a decoding failure (an unknown type, a path into nothing) answered as the
 * caller's mistake rather than ours.
 */
const transformer = {
  input: {
    serialize: (value: unknown) => superjson.serialize(value),
    deserialize: (value: unknown) => {
      const deep = tooDeep((value as { json?: unknown } | null)?.json);
      if (deep)
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `${deep}: nested deeper than ${maxJsonDepth} levels`,
        });
      try {
        return superjson.deserialize(value as Parameters<typeof superjson.deserialize>[0]);
      } catch (error) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `input: not decodable as superjson (${(error as Error).message})`,
          cause: error,
        });
      }
    },
  },
  output: superjson,
};

/** "field: what was expected" for each issue, the field named once. */
function describeIssues(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.join('.');
      const named =
        !field ||
        issue.message.startsWith(`${String(issue.path.at(-1))}:`) ||
        issue.message.startsWith(`${field}:`);
      return named ? issue.message : `${field}: ${issue.message}`;
    })
    .join('; ');
}

const t = initTRPC.context<Context>().create({
  // superjson carries Dates and NaN/±Infinity metric values faithfully.
  transformer,
  // Never put stack traces (and with them the server's file paths) into answers; the
  // tracker logs them instead (see http.ts).
  isDev: false,
  sse: {
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 30_000 },
  },
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? error.cause : null;
    const { stack: _stack, ...data } = shape.data as typeof shape.data & { stack?: string };
    return {
      ...shape,
      // An unexpected failure's own message may name files and queries: it goes to the log.
      message: zod
        ? describeIssues(zod)
        : error.code === 'INTERNAL_SERVER_ERROR'
          ? 'Internal error in the tracker; its log has the details.'
          : shape.message,
      data: { ...data, issues: zod ? z.treeifyError(zod) : null },
    };
  },
});

interface DbError {
  code?: string;
  detail?: string;
  meta?: { modelName?: string; cause?: string };
}

/** Turns the store's own refusals into answers the caller can act on (never a 500). */
function toTrpcError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof TRPCError) return error;
  if (isStoreUnavailable(error)) {
    return new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: `The tracker's store (database) is unavailable right now (${error.message}); nothing was changed, try again shortly.`,
      cause: error,
    });
  }
  const { code } = error as DbError;
  if (code === 'P2025')
    return new TRPCError({
      code: 'NOT_FOUND',
      message: `Not found: ${(error as DbError).meta?.cause ?? 'the record it refers to does not exist'}.`,
      cause: error,
    });
  if (code === 'P2002' || code === '23505') {
    return new TRPCError({ code: 'CONFLICT', message: 'That already exists.', cause: error });
  }
  if (code === 'P2003' || code === '23503') {
    return new TRPCError({
      code: 'NOT_FOUND',
      message: 'The run it refers to does not exist.',
      cause: error,
    });
  }
  if (error instanceof RangeError)
    return new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
  return error;
}

const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTrpcError(result.error.cause ?? result.error);
    if (mapped instanceof TRPCError && mapped !== result.error) throw mapped;
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Reads: open to anyone who can reach the tracker. */
export const publicProcedure = t.procedure.use(mapErrors);

/** Writes: need the bearer token when the tracker has one. */
export const mutationProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.authorized) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message:
        'This tracker needs a token for changes: send Authorization: Bearer <TRACKER_TOKEN>.',
    });
  }
  return next();
});
