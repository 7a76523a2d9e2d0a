/**
 * Whether an error means the database cannot be reached right now (stopped, restarting,
 * connection cut, out of connections) rather than that the request was wrong: such a
 * request is worth retrying later, and the process must carry on.
 */
export function isStoreUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { code, message, kind } = current as {
      code?: unknown;
      message?: unknown;
      kind?: unknown;
    };
    if (typeof code === 'string' && unavailableCodes.test(code)) return true;
    if (typeof kind === 'string' && unavailableKinds.has(kind)) return true;
    if (typeof message === 'string' && unavailableMessages.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

// Socket errors; Postgres' connection exceptions (08…), shutdown and start-up (57P01–57P03),
// too many connections (53300); Prisma's "cannot reach" and "server closed the connection".
const unavailableCodes =
  /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|08\w{3}|57P0[123]|53300|P1001|P1002|P1017|P2024)$/;
const unavailableKinds = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout']);
const unavailableMessages =
  /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect|Can't reach database server|Server has closed the connection/i;
