import Link from 'next/link';
import { SweepLiveRefresh } from '../../components/sweep-live-refresh';
import { TrackerDown } from '../../components/tracker-down';
import { formatDate } from '../../lib/format';
import { load } from '../../lib/load';
import { tracker } from '../../lib/trpc';

export const dynamic = 'force-dynamic';

/** Every sweep, newest first, with its progress. */
export default async function SweepsPage() {
  const result = await load(() => tracker.sweep.list.query({ limit: 200 }));
  if (!result.ok) return <TrackerDown message={result.message} />;
  const { items } = result.data;
  return (
    <section aria-label="Sweeps" className="space-y-4">
      <SweepLiveRefresh sweepId="*" />
      <h1 className="text-xl font-semibold">Sweeps</h1>
      {items.length === 0 && (
        <p className="text-sm text-zinc-500">
          No sweeps yet: create one with `pnpm sweep --name … --dropout 0,0.3,0.5`, then start `pnpm
          worker`.
        </p>
      )}
      <table className="w-full text-left text-sm">
        <thead className="text-zinc-500">
          <tr>
            <th className="py-1">Name</th>
            <th>Status</th>
            <th>Search</th>
            <th>Progress</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr
              key={s.id}
              data-sweep={s.name}
              className="border-t border-zinc-200 dark:border-zinc-800"
            >
              <td className="py-1">
                <Link
                  href={`/sweeps/${s.id}`}
                  className="text-blue-600 underline dark:text-blue-400"
                >
                  {s.name}
                </Link>
              </td>
              <td>{s.status}</td>
              <td>{s.search}</td>
              <td data-testid="progress">
                {s.counts.done}/{s.counts.total} done · {s.counts.running} running ·{' '}
                {s.counts.queued} queued · {s.counts.failed} failed
              </td>
              <td>{formatDate(s.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
