'use client';

/** Last line of defence: anything a page did not turn into a message itself. */
export default function ErrorPage({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-300 p-4 dark:border-red-800">
      <p className="font-medium">Something went wrong showing this page.</p>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{error.message}</p>
      <button
        type="button"
        onClick={reset}
        className="mt-3 rounded bg-zinc-800 px-3 py-1 text-sm text-white"
      >
        Retry
      </button>
    </div>
  );
}
