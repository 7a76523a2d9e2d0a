'use client';
import { type FormEvent, useState } from 'react';
import { browserClient } from '../lib/browser-client';
import { useHydrated } from '../lib/use-hydrated';
import { useSave } from '../lib/use-save';

/** What a tag means to you and what fixed it: saved on the tag, shown in the notebook. */
export function TagNotesEditor({ name, notes }: { name: string; notes: string }) {
  const [text, setText] = useState(notes);
  const { save: saveChange, pending, error } = useSave();
  const hydrated = useHydrated();
  const save = (event: FormEvent) => {
    event.preventDefault();
    saveChange(async () => (await browserClient()).tag.update.mutate({ name, notes: text }));
  };
  return (
    <form onSubmit={save} className="space-y-1">
      <textarea
        aria-label={`Notes on tag ${name}`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        disabled={!hydrated}
        rows={2}
        className="w-full rounded border border-zinc-300 bg-transparent p-2 text-sm dark:border-zinc-700"
      />
      <button
        type="submit"
        disabled={!hydrated || pending || text === notes}
        className="rounded bg-blue-600 px-2 py-0.5 text-sm text-white disabled:opacity-50"
      >
        Save
      </button>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
    </form>
  );
}
