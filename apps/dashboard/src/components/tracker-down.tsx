'use client';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';

/** What a page shows when the tracker cannot be reached: the reason and a retry. */
export function TrackerDown({ message }: { message: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-300 bg-red-50 p-4 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <p className="font-medium">Cannot load this page from the tracker.</p>
      <p className="mt-1 text-sm">{message}</p>
      <button
        type="button"
        onClick={() => start(() => router.refresh())}
        disabled={pending}
        className="mt-3 rounded bg-red-700 px-3 py-1 text-sm text-white hover:bg-red-800 disabled:opacity-60"
      >
        {pending ? 'Retrying…' : 'Retry'}
      </button>
    </div>
  );
}
