import Link from 'next/link';
import { StatusBadge } from '../../components/status-badge';
import { TagChip } from '../../components/tag-chip';
import { TagNotesEditor } from '../../components/tag-notes-editor';
import { TrackerDown } from '../../components/tracker-down';
import { formatDate, formatPercent } from '../../lib/format';
import { load } from '../../lib/load';
import { tracker } from '../../lib/trpc';

export const dynamic = 'force-dynamic';

/** The lab notebook: every run in the order tried, what changed and what it did; tag notes. */
export default async function NotebookPage() {
  const result = await load(() =>
    Promise.all([tracker.insight.notebook.query({ limit: 100 }), tracker.tag.list.query()]),
  );
  if (!result.ok) return <TrackerDown message={result.message} />;
  const [{ entries }, tags] = result.data;
  return (
    <div className="grid gap-8 lg:grid-cols-[2fr_1fr]">
      <section aria-label="What was tried" className="space-y-3">
        <h1 className="text-xl font-semibold">Lab notebook</h1>
        {entries.length === 0 && (
          <p className="text-sm text-zinc-500">No runs yet: start one with `pnpm train`.</p>
        )}
        <ol className="space-y-3">
          {entries.map((e) => (
            <li
              key={e.id}
              data-notebook-run={e.name}
              className="rounded border border-zinc-200 p-3 text-sm dark:border-zinc-800"
            >
              <div className="flex flex-wrap items-center gap-2">
                <Link
                  href={`/runs/${encodeURIComponent(e.id)}`}
                  className="font-medium text-blue-600 underline dark:text-blue-400"
                >
                  {e.name}
                </Link>
                <StatusBadge status={e.status} reason={null} />
                <span className="text-zinc-500">{formatDate(e.createdAt)}</span>
                <span>best val accuracy {formatPercent(e.bestValAccuracy)}</span>
                {e.tags.map((t) => (
                  <TagChip key={t.name} name={t.name} colour={t.colour} />
                ))}
              </div>
              {e.change && e.previous && (
                <p className="mt-1">
                  Since {e.previous.name}: <span data-testid="change">{e.change.summary}</span>
                </p>
              )}
              {e.findings.length > 0 && (
                <p className="mt-1 text-zinc-600 dark:text-zinc-400">
                  Findings: {e.findings.join(', ').replaceAll('_', ' ')}
                </p>
              )}
            </li>
          ))}
        </ol>
      </section>
      <section aria-label="Tag notes" className="space-y-3">
        <h2 className="font-medium">What the tags mean</h2>
        {tags.length === 0 && <p className="text-sm text-zinc-500">No tags yet.</p>}
        {tags.map((t) => (
          <div key={t.name} className="space-y-1">
            <TagChip name={t.name} colour={t.colour} />{' '}
            <span className="text-xs text-zinc-500">{t.runCount} runs</span>
            <TagNotesEditor name={t.name} notes={t.notes} />
          </div>
        ))}
      </section>
    </div>
  );
}
