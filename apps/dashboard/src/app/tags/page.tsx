import Link from 'next/link';
import { TagRow } from '../../components/tag-row';
import { TrackerDown } from '../../components/tracker-down';
import { load } from '../../lib/load';
import { tracker } from '../../lib/trpc';

export const dynamic = 'force-dynamic';

/** Every tag: rename it, recolour it, or delete it (the runs stay, untagged). */
export default async function TagsPage() {
  const result = await load(() => tracker.tag.list.query());
  if (!result.ok) return <TrackerDown message={result.message} />;
  const tags = result.data;
  return (
    <section aria-label="Tags" className="max-w-3xl space-y-4">
      <h1 className="text-xl font-semibold">Tags</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Add tags to a run on its page; what a tag means goes in the{' '}
        <Link href="/notebook" className="text-blue-600 underline dark:text-blue-400">
          notebook
        </Link>
        .
      </p>
      {tags.length === 0 ? (
        <p className="text-sm text-zinc-500">No tags yet.</p>
      ) : (
        <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" data-testid="tags">
          {tags.map((t) => (
            <TagRow key={t.id} name={t.name} colour={t.colour} runCount={t.runCount} />
          ))}
        </ul>
      )}
    </section>
  );
}
