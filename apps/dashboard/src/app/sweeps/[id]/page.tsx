import Link from 'next/link';
import { notFound } from 'next/navigation';
import { SortableHeader } from '../../../components/sortable-header';
import { SweepLiveRefresh } from '../../../components/sweep-live-refresh';
import { SweepScatter } from '../../../components/sweep-scatter';
import { TrackerDown } from '../../../components/tracker-down';
import { formatDate, formatPercent } from '../../../lib/format';
import { load } from '../../../lib/load';
import { parseSweepQuery, sweepHref, trainCommand, trialsPerPage } from '../../../lib/sweep-query';
import { tracker } from '../../../lib/trpc';

export const dynamic = 'force-dynamic';

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** A sweep: progress (per worker), best config, what mattered, and its trials (paged by the tracker). */
export default async function SweepPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const q = parseSweepQuery(await searchParams);
  const result = await load(() =>
    Promise.all([
      tracker.sweep.get.query({ sweepId: id }),
      tracker.sweep.trials.query({
        sweepId: id,
        sortBy: q.sort,
        direction: q.dir,
        ...(q.state ? { state: [q.state as 'finished'] } : {}),
        offset: (q.page - 1) * trialsPerPage,
        limit: trialsPerPage,
      }),
      tracker.sweep.analysis.query({ sweepId: id }),
      // Points for the charts: the 500 best trials.
      tracker.sweep.trials.query({
        sweepId: id,
        sortBy: 'bestValAccuracy',
        direction: 'desc',
        limit: 500,
      }),
    ]),
  );
  if (!result.ok) {
    if (result.notFound) notFound();
    return <TrackerDown message={result.message} />;
  }
  const [sweep, page, analysis, top] = result.data;
  const paramNames = Object.keys((sweep.spec.params ?? {}) as Record<string, unknown>);
  const pages = Math.max(1, Math.ceil(page.total / trialsPerPage));
  const col = (key: string, label: string) => (
    <SortableHeader
      key={key}
      label={label}
      href={sweepHref(id, q, {
        sort: key,
        dir: q.sort === key && q.dir === 'desc' ? 'asc' : 'desc',
        page: 1,
      })}
      sorted={q.sort === key ? q.dir : null}
      className="py-1 pr-3"
    />
  );
  const scatter = top.items.filter((t) => t.bestValAccuracy !== null);
  const byParam = new Map<string, typeof analysis.effects>();
  for (const e of analysis.effects) byParam.set(e.param, [...(byParam.get(e.param) ?? []), e]);
  const findingsByParam = new Map<string, typeof analysis.findings>();
  for (const f of analysis.findings)
    findingsByParam.set(f.param, [...(findingsByParam.get(f.param) ?? []), f]);
  return (
    <div className="space-y-8">
      <SweepLiveRefresh sweepId={id} />
      <header className="space-y-1">
        <h1 className="text-xl font-semibold">
          Sweep {sweep.name}{' '}
          <span className="text-sm font-normal text-zinc-500">{sweep.status}</span>
        </h1>
        <p className="text-sm text-zinc-500">
          {sweep.search} search · {sweep.counts.total} trials · up to {sweep.maxAttempts} attempts
          each · created {formatDate(sweep.createdAt)}
          {sweep.earlyStopping.median ? ' · median rule' : ''}
          {sweep.earlyStopping.diagnosis ? ' · diagnosis rule' : ''}
        </p>
      </header>

      <section aria-label="Progress" className="space-y-2">
        <h2 className="font-semibold">Progress</h2>
        <p data-testid="sweep-progress" className="text-sm">
          {sweep.counts.queued} queued · {sweep.counts.running} running · {sweep.counts.done} done ·{' '}
          {sweep.counts.failed} failed
          {sweep.counts.stopped ? ` (${sweep.counts.stopped} stopped early)` : ''}
          {sweep.counts.cancelled ? ` · ${sweep.counts.cancelled} cancelled` : ''}
        </p>
        <div
          className="flex h-2 w-full max-w-xl overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800"
          role="progressbar"
          aria-valuenow={sweep.counts.done + sweep.counts.failed}
          aria-valuemax={sweep.counts.total}
        >
          <div
            className="bg-green-600"
            style={{ width: `${(100 * sweep.counts.done) / sweep.counts.total}%` }}
          />
          <div
            className="bg-red-600"
            style={{ width: `${(100 * sweep.counts.failed) / sweep.counts.total}%` }}
          />
          <div
            className="bg-blue-500"
            style={{ width: `${(100 * sweep.counts.running) / sweep.counts.total}%` }}
          />
        </div>
        {sweep.workers.length > 0 && (
          <table className="text-sm">
            <thead className="text-zinc-500">
              <tr>
                <th className="pr-4 text-left">Worker</th>
                <th className="pr-4 text-left">State</th>
                <th className="text-right">Trials</th>
              </tr>
            </thead>
            <tbody>
              {sweep.workers.map((w) => (
                <tr key={`${w.worker}-${w.state}`}>
                  <td className="pr-4">{w.worker}</td>
                  <td className="pr-4">{w.state}</td>
                  <td className="text-right">{w.trials}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {sweep.best && (
        <section
          aria-label="Best config"
          className="rounded border border-green-600 p-3"
          data-testid="best-config"
        >
          <h2 className="font-semibold">
            Best so far: trial {sweep.best.index}, val accuracy{' '}
            {formatPercent(sweep.best.bestValAccuracy)}
          </h2>
          <p className="text-sm">
            {Object.entries(sweep.best.params)
              .map(([k, v]) => `${k} ${show(v)}`)
              .join(' · ')}
            {sweep.best.runId && (
              <>
                {' · '}
                <Link
                  href={`/runs/${sweep.best.runId}`}
                  className="text-blue-600 underline dark:text-blue-400"
                >
                  its run
                </Link>
              </>
            )}
          </p>
          <pre
            className="mt-2 overflow-x-auto rounded bg-zinc-100 p-2 text-xs dark:bg-zinc-900"
            data-testid="best-command"
          >
            {trainCommand(sweep.best.config)}
          </pre>
        </section>
      )}

      {scatter.length > 0 && (
        <section aria-label="Params against val accuracy" className="space-y-2">
          <h2 className="font-semibold">Each param against best val accuracy</h2>
          <div className="flex flex-wrap gap-3">
            {paramNames.map((p) => (
              <SweepScatter
                key={p}
                param={p}
                points={scatter.map((t) => ({
                  x: t.params[p] as string | number,
                  y: t.bestValAccuracy!,
                  best: t.index === sweep.best?.index,
                }))}
              />
            ))}
          </div>
        </section>
      )}

      {byParam.size > 0 && (
        <section aria-label="What mattered" className="space-y-2">
          <h2 className="font-semibold">What mattered</h2>
          <p className="text-sm text-zinc-500">
            Marginal means: for each value of a param, the mean best val accuracy of the trials that
            had it, ± the sample standard deviation (min – max), over the other params' values.
          </p>
          <div className="flex flex-wrap gap-6">
            {[...byParam].map(([param, rows]) => (
              <table key={param} className="text-sm" data-effects={param}>
                <caption className="text-left font-medium">{param}</caption>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.value}>
                      <td className="pr-3">{r.value}</td>
                      <td className="pr-3 text-right">{formatPercent(r.mean)}</td>
                      <td className="pr-3 text-zinc-500">
                        ± {r.sd === null ? '–' : (r.sd * 100).toFixed(1)}
                      </td>
                      <td className="text-zinc-500">
                        {r.trials
                          ? `${formatPercent(r.min)} – ${formatPercent(r.max)} (${r.trials})`
                          : 'no results yet'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ))}
          </div>
          {findingsByParam.size > 0 && (
            <div className="space-y-1 text-sm" data-testid="findings-by-param">
              <h3 className="font-medium">Diagnosis findings per param value</h3>
              {[...findingsByParam].map(([param, rows]) => (
                <p key={param}>
                  <span className="font-medium">{param}:</span>{' '}
                  {rows
                    .map(
                      (f) =>
                        `${f.finding.replaceAll('_', ' ')} in ${f.runs}/${f.of} runs with ${f.value}`,
                    )
                    .join('; ')}
                </p>
              ))}
            </div>
          )}
        </section>
      )}

      <section aria-label="Trials" className="space-y-2">
        <h2 className="font-semibold">Trials</h2>
        <nav className="flex flex-wrap gap-2 text-sm">
          {[null, 'queued', 'running', 'finished', 'stopped', 'failed', 'cancelled'].map((s) => (
            <Link
              key={s ?? 'all'}
              href={sweepHref(id, q, { state: s, page: 1 })}
              className={
                q.state === s
                  ? 'font-semibold underline'
                  : 'text-blue-600 hover:underline dark:text-blue-400'
              }
            >
              {s ?? 'all'}
            </Link>
          ))}
        </nav>
        <table className="w-full text-left text-sm" data-testid="trials-table">
          <thead className="text-zinc-500">
            <tr>
              {col('index', '#')}
              {col('state', 'State')}
              {paramNames.map((p) => col(`param:${p}`, p))}
              {col('bestValAccuracy', 'Best val acc')}
              {col('attempts', 'Attempts')}
              <th>Worker</th>
              <th>Run</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((t) => (
              <tr
                key={t.index}
                data-trial={t.index}
                className={`border-t border-zinc-200 dark:border-zinc-800 ${t.index === sweep.best?.index ? 'bg-green-50 dark:bg-green-950' : ''}`}
              >
                <td className="py-1 pr-3">{t.index}</td>
                <td className="pr-3" title={t.reason ?? undefined}>
                  {t.state}
                </td>
                {paramNames.map((p) => (
                  <td key={p} className="pr-3">
                    {show(t.params[p])}
                  </td>
                ))}
                <td className="pr-3">{formatPercent(t.bestValAccuracy)}</td>
                <td className="pr-3">{t.attempts}</td>
                <td className="pr-3 text-zinc-500">{t.worker ?? ''}</td>
                <td>
                  {t.runId && t.attempts > 0 && (
                    <Link
                      href={`/runs/${t.runId}`}
                      className="text-blue-600 underline dark:text-blue-400"
                    >
                      run
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="flex gap-3 text-sm">
          <span data-testid="trials-page">
            page {q.page} of {pages} ({page.total} trials)
          </span>
          {q.page > 1 && <Link href={sweepHref(id, q, { page: q.page - 1 })}>← previous</Link>}
          {q.page < pages && <Link href={sweepHref(id, q, { page: q.page + 1 })}>next →</Link>}
        </p>
      </section>
    </div>
  );
}
