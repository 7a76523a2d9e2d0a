'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';

/**
 * Saves a change through the tracker, then renders the page again from the server; a refusal
 * is kept as `error` (the tracker's message) for the form to show.
 */
export function useSave() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const save = (change: () => Promise<unknown>) =>
    start(async () => {
      try {
        await change();
        setError(null);
        router.refresh();
      } catch (e) {
        setError((e as Error).message);
      }
    });
  return { save, pending, error };
}
