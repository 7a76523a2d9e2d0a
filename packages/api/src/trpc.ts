import { isStoreUnavailable } from '@trainbook/db';
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError, z } from 'zod';
import type { Context } from './context.js';

const t = initTRPC.context<Context>().create({
  // superjson carries Dates and NaN/±Infinity metric values faithfully.
  transformer: superjson,
  sse: {
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 30_000 },
  },
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        issues: error.cause instanceof ZodError ? z.treeifyError(error.cause) : null,
      },
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
    return new TRPCError({ code: 'NOT_FOUND', message: error.message, cause: error });
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
