import Link from 'next/link';
import { allStatuses, type RunsQuery } from '../lib/runs-query';

interface Props {
  query: RunsQuery;
  tags: { name: string; runCount: number }[];
}

/** A plain GET form: the URL is the filter, so it is shareable and survives a reload. */
export function RunsFilter({ query, tags }: Props) {
  return (
    <form
      method="get"
      action="/"
      className="flex flex-wrap items-end gap-3 text-sm"
      aria-label="Filter runs"
    >
      <label className="flex flex-col gap-1">
        <span className="text-xs text-zinc-500">Search</span>
        <input
          type="search"
          name="q"
          defaultValue={query.text}
          placeholder="name or notes"
          className="w-48 rounded border border-zinc-300 bg-transparent px-2 py-1 dark:border-zinc-700"
        />
      </label>
      <fieldset className="flex flex-col gap-1">
        <legend className="text-xs text-zinc-500">Status</legend>
        <div className="flex flex-wrap gap-2">
          {allStatuses.map((s) => (
            <label key={s} className="flex items-center gap-1">
              <input
                type="checkbox"
                name="status"
                value={s}
                defaultChecked={query.status.includes(s)}
              />
              {s}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="flex flex-col gap-1">
        <span className="text-xs text-zinc-500">Tags (all of)</span>
        <select
          name="tag"
          multiple
          defaultValue={query.tags}
          aria-label="Tags"
          className="h-16 min-w-36 rounded border border-zinc-300 bg-transparent px-1 dark:border-zinc-700"
        >
          {tags.map((t) => (
            <option key={t.name} value={t.name}>
              {t.name} ({t.runCount})
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs text-zinc-500">Param = value</span>
        <input
          name="param"
          defaultValue={query.params[0] ?? ''}
          placeholder="optimizer=adam"
          className="w-40 rounded border border-zinc-300 bg-transparent px-2 py-1 dark:border-zinc-700"
        />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs text-zinc-500">Param columns</span>
        <input
          name="cols"
          defaultValue={query.cols.join(',')}
          className="w-56 rounded border border-zinc-300 bg-transparent px-2 py-1 dark:border-zinc-700"
        />
      </label>
      {query.sort !== 'createdAt' && <input type="hidden" name="sort" value={query.sort} />}
      {query.dir !== 'desc' && <input type="hidden" name="dir" value={query.dir} />}
      <button type="submit" className="rounded bg-blue-600 px-3 py-1 text-white hover:bg-blue-700">
        Apply
      </button>
      <Link href="/" className="px-1 py-1 text-blue-600 underline dark:text-blue-400">
        Clear
      </Link>
    </form>
  );
}
