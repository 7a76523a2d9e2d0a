'use client';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { browserClient } from '../lib/browser-client';
import { useSave } from '../lib/use-save';
import { ColourPicker } from './colour-picker';
import { TagChip } from './tag-chip';

interface Tag {
  name: string;
  colour: string | null;
}

/** Add (or create, with a colour) and remove a run's tags; each change is saved at once. */
export function TagsEditor({ runId, tags, known }: { runId: string; tags: Tag[]; known: Tag[] }) {
  const [name, setName] = useState('');
  const [colour, setColour] = useState('#2563eb');
  const { save, pending, error } = useSave();
  const isNew = name.trim() !== '' && !known.some((t) => t.name === name.trim());

  const add = (event: FormEvent) => {
    event.preventDefault();
    const tag = name.trim();
    if (!tag) return;
    save(async () => {
      await (await browserClient()).tag.attach.mutate({
        runId,
        name: tag,
        ...(isNew ? { colour } : {}),
      });
      setName('');
    });
  };

  return (
    <section aria-label="Tags" className="space-y-2">
      <div className="flex items-baseline gap-3">
        <h2 className="font-medium">Tags</h2>
        <Link
          href="/tags"
          prefetch={false}
          className="text-sm text-blue-600 underline dark:text-blue-400"
        >
          Rename, recolour, delete
        </Link>
      </div>
      <ul className="flex flex-wrap gap-2" data-testid="run-tags">
        {tags.length === 0 && <li className="text-sm text-zinc-500">No tags yet.</li>}
        {tags.map((t) => (
          <li key={t.name}>
            <TagChip name={t.name} colour={t.colour}>
              <button
                type="button"
                aria-label={`Remove tag ${t.name}`}
                disabled={pending}
                onClick={() =>
                  save(async () =>
                    (await browserClient()).tag.detach.mutate({ runId, name: t.name }),
                  )
                }
                className="ml-1 rounded px-1 text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 dark:hover:bg-zinc-800"
              >
                ×
              </button>
            </TagChip>
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="flex flex-wrap items-center gap-2 text-sm">
        <input
          aria-label="Tag name"
          list="known-tags"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="add a tag"
          className="w-40 rounded border border-zinc-300 bg-transparent px-2 py-1 dark:border-zinc-700"
        />
        <datalist id="known-tags">
          {known.map((t) => (
            <option key={t.name} value={t.name} />
          ))}
        </datalist>
        {isNew && (
          <span className="flex items-center gap-1">
            colour
            <ColourPicker label="New tag colour" initial={colour} onPick={setColour} />
          </span>
        )}
        <button
          type="submit"
          disabled={pending || !name.trim()}
          className="rounded bg-blue-600 px-3 py-1 text-white disabled:opacity-50"
        >
          {isNew ? 'Create tag' : 'Add tag'}
        </button>
      </form>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
    </section>
  );
}
