'use client';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { browserClient } from '../lib/browser-client';
import { useHydrated } from '../lib/use-hydrated';
import { useSave } from '../lib/use-save';
import { ColourPicker } from './colour-picker';

/** Tags without a colour are drawn grey; the colour picker starts there too. */
const uncoloured = '#9ca3af';

/** One tag on the tags page: its name (renamable), its colour, its runs, and deleting it. */
export function TagRow({
  name,
  colour,
  runCount,
}: {
  name: string;
  colour: string | null;
  runCount: number;
}) {
  const hydrated = useHydrated();
  const [newName, setNewName] = useState(name);
  const [confirming, setConfirming] = useState(false);
  const { save, pending, error } = useSave();
  const rename = (event: FormEvent) => {
    event.preventDefault();
    const next = newName.trim();
    if (!next || next === name) return;
    save(async () => (await browserClient()).tag.rename.mutate({ name, newName: next }));
  };
  const busy = !hydrated || pending;

  return (
    <li data-tag-row={name} className="flex flex-wrap items-center gap-3 py-2 text-sm">
      <ColourPicker
        label={`Colour of tag ${name}`}
        initial={colour ?? uncoloured}
        onPick={(picked) =>
          save(async () => (await browserClient()).tag.update.mutate({ name, colour: picked }))
        }
        disabled={busy}
      />
      <form onSubmit={rename} className="flex items-center gap-2">
        <input
          aria-label={`Name of tag ${name}`}
          value={newName}
          disabled={busy}
          onChange={(e) => setNewName(e.target.value)}
          className="w-44 rounded border border-zinc-300 bg-transparent px-2 py-1 dark:border-zinc-700"
        />
        {newName.trim() !== name && (
          <button
            type="submit"
            disabled={busy || !newName.trim()}
            className="rounded bg-blue-600 px-2 py-1 text-white disabled:opacity-50"
          >
            Rename
          </button>
        )}
      </form>
      <Link
        href={`/?tag=${encodeURIComponent(name)}`}
        className="text-blue-600 underline dark:text-blue-400"
      >
        {runCount} {runCount === 1 ? 'run' : 'runs'}
      </Link>
      <span className="ml-auto flex items-center gap-2">
        {confirming ? (
          <>
            <span>
              Delete {name}
              {runCount > 0
                ? ` and take it off ${runCount} ${runCount === 1 ? 'run' : 'runs'}`
                : ''}
              ?
            </span>
            <button
              type="button"
              disabled={busy}
              onClick={() => save(async () => (await browserClient()).tag.delete.mutate({ name }))}
              className="rounded bg-red-600 px-2 py-1 text-white disabled:opacity-50"
            >
              Yes, delete
            </button>
            <button
              type="button"
              onClick={() => setConfirming(false)}
              className="rounded border px-2 py-1"
            >
              Keep
            </button>
          </>
        ) : (
          <button
            type="button"
            aria-label={`Delete tag ${name}`}
            disabled={busy}
            onClick={() => setConfirming(true)}
            className="rounded border border-red-300 px-2 py-1 text-red-700 disabled:opacity-50 dark:border-red-800 dark:text-red-300"
          >
            Delete
          </button>
        )}
      </span>
      {error && (
        <p role="alert" className="w-full text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
    </li>
  );
}
