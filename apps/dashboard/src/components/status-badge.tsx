const styles: Record<string, string> = {
  running: 'bg-blue-100 text-blue-800 dark:bg-blue-950 dark:text-blue-200',
  finished: 'bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-200',
  failed: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200',
  crashed: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
  killed: 'bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200',
};

/** Why a run ended the way it did, in words a user can act on. */
export function explainStatus(status: string, reason: string | null): string | undefined {
  if (status === 'crashed')
    return `The trainer stopped sending heartbeats without finishing (process died, machine slept or lost the network).${reason ? ` ${reason}` : ''}`;
  if (status === 'killed') return `Stopped on purpose (e.g. Ctrl-C).${reason ? ` ${reason}` : ''}`;
  if (status === 'failed') return reason ?? 'The trainer reported an error.';
  return undefined;
}

export function StatusBadge({ status, reason }: { status: string; reason: string | null }) {
  const why = explainStatus(status, reason);
  return (
    <span className="inline-flex flex-col gap-0.5">
      <span
        data-status={status}
        title={why}
        className={`inline-flex w-fit items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ${styles[status] ?? ''}`}
      >
        {status === 'running' && (
          <span className="relative flex h-2 w-2" aria-hidden>
            <span className="absolute inline-flex h-full w-full animate-ping rounded-full bg-blue-500 opacity-75" />
            <span className="relative inline-flex h-2 w-2 rounded-full bg-blue-600" />
          </span>
        )}
        {status === 'running' ? 'live' : status}
      </span>
      {why && (status === 'crashed' || status === 'killed' || status === 'failed') && (
        <span className="max-w-56 text-xs text-zinc-500 dark:text-zinc-400">{why}</span>
      )}
    </span>
  );
}
