'use client';
import { useRouter } from 'next/navigation';
import { type ReactNode, useState, useTransition } from 'react';
import { browserClient } from '../lib/browser-client';

/**
 * A run's notes: the markdown rendered on the server (passed in, so the markdown parser stays
 * out of the page's JavaScript), or a text box while editing.
 */
export function NotesEditor({
  runId,
  notes,
  rendered,
}: {
  runId: string;
  notes: string;
  rendered: ReactNode;
}) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(notes);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  const save = () =>
    start(async () => {
      try {
        await (await browserClient()).run.update.mutate({ runId, notes: draft });
        setEditing(false);
        setError(null);
        router.refresh();
      } catch (e) {
        setError((e as Error).message);
      }
    });

  return (
    <section aria-label="Notes" className="space-y-2">
      <div className="flex items-center gap-3">
        <h2 className="font-medium">Notes</h2>
        {!editing && (
          <button
            type="button"
            onClick={() => {
              setDraft(notes);
              setEditing(true);
            }}
            className="text-sm text-blue-600 underline dark:text-blue-400"
          >
            Edit
          </button>
        )}
      </div>
      {editing ? (
        <div className="space-y-2">
          <textarea
            aria-label="Notes (markdown)"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            rows={8}
            className="w-full rounded border border-zinc-300 bg-transparent p-2 font-mono text-sm dark:border-zinc-700"
          />
          <div className="flex gap-2">
            <button
              type="button"
              onClick={save}
              disabled={pending}
              className="rounded bg-blue-600 px-3 py-1 text-sm text-white disabled:opacity-50"
            >
              {pending ? 'Saving…' : 'Save notes'}
            </button>
            <button
              type="button"
              onClick={() => setEditing(false)}
              className="rounded border px-3 py-1 text-sm"
            >
              Cancel
            </button>
          </div>
        </div>
      ) : notes.trim() ? (
        rendered
      ) : (
        <p className="text-sm text-zinc-500">No notes. What did you try, and what did you learn?</p>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
    </section>
  );
}
