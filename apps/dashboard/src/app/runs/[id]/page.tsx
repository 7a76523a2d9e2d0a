import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { ArtifactsSection } from '../../../components/artifacts-section';
import { KeyValueTable } from '../../../components/key-value-table';
import { Markdown } from '../../../components/markdown';
import { NotesEditor } from '../../../components/notes-editor';
import { RunCurves } from '../../../components/run-curves';
import { RunInsights } from '../../../components/run-insights';
import { StatusBadge } from '../../../components/status-badge';
import { TagsEditor } from '../../../components/tags-editor';
import { TrackerDown } from '../../../components/tracker-down';
import { formatDate, formatPercent, formatValue, runDuration } from '../../../lib/format';
import { load } from '../../../lib/load';
import { chartPoints, epochKeys } from '../../../lib/metric-keys';
import { tracker } from '../../../lib/trpc';

export const dynamic = 'force-dynamic';

/** A promise the page may never await (it returns early when the run is missing). */
function started<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const runId = decodeURIComponent(id);
  // Start the points, the insights and the run at once. The charts are part of the page's
  // first reveal; the insights and the artifacts stream in after it.
  const series = started(
    tracker.metric.series.query({ runIds: [runId], keys: [...epochKeys], maxPoints: chartPoints }),
  );
  const keys = started(tracker.metric.keys.query({ runId }));
  // Charts first: the insights read every epoch point, and would make the tracker answer the
  // points later if asked at the same time. The panel streams in after the charts.
  const insights = started(
    series.then(
      () => tracker.insight.run.query({ runId }),
      () => tracker.insight.run.query({ runId }),
    ),
  );
  // The first problem with an onset gets its marker on the charts, and every finding's
  // evidence is drawn there (the smoothed val_loss of an onset, the turns of an unstable run).
  const marks = insights.then(
    (i) => {
      const problem = i.diagnosis.findings.find(
        (f) => f.onsetEpoch !== null && f.severity !== 'info',
      );
      return {
        onset: problem
          ? { epoch: problem.onsetEpoch!, label: problem.kind.replaceAll('_', ' ') }
          : null,
        evidence: i.diagnosis.findings.flatMap((f) => f.curves ?? []),
      };
    },
    () => ({ onset: null, evidence: [] }),
  );
  const result = await load(() =>
    Promise.all([tracker.run.get.query({ runId }), tracker.tag.list.query()]),
  );
  if (!result.ok) {
    if (result.notFound) notFound();
    return <TrackerDown message={result.message} />;
  }
  const [run, tags] = result.data;
  const final = (run.summary.final ?? {}) as Record<string, unknown>;

  return (
    <div className="space-y-8">
      <header className="space-y-2">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold">{run.name}</h1>
          <StatusBadge status={run.status} reason={run.statusReason} />
        </div>
        <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
          <div>
            <dt className="inline">created </dt>
            <dd className="inline">{formatDate(run.createdAt)}</dd>
          </div>
          <div>
            <dt className="inline">duration </dt>
            <dd className="inline">{runDuration(run)}</dd>
          </div>
          <div>
            <dt className="inline">best val accuracy </dt>
            <dd className="inline">
              {formatPercent(run.summary.bestValAccuracy)}
              {run.summary.bestEpoch !== undefined
                ? ` (epoch ${formatValue(run.summary.bestEpoch)})`
                : ''}
            </dd>
          </div>
          <div className="flex gap-3">
            <a
              href={`/runs/${encodeURIComponent(runId)}/export?format=csv`}
              className="text-blue-600 underline dark:text-blue-400"
            >
              Export CSV
            </a>
            <a
              href={`/runs/${encodeURIComponent(runId)}/export?format=json`}
              className="text-blue-600 underline dark:text-blue-400"
            >
              Export JSON
            </a>
            <Link href="/" prefetch={false} className="text-blue-600 underline dark:text-blue-400">
              All runs
            </Link>
          </div>
        </dl>
      </header>
      {/* Not in a Suspense boundary of their own: React reveals streamed boundaries in
          batches, a later one at least 300 ms after the one before, so charts revealed apart
          from the page were drawn 300 ms late. The points cost the tracker ~30 ms. */}
      <RunCurves
        runId={runId}
        live={run.status === 'running'}
        series={series}
        keys={keys}
        marks={marks}
      />
      <Suspense fallback={<p className="text-sm text-zinc-500">Reading the curves…</p>}>
        <RunInsights runId={runId} insights={insights} tags={run.tags.map((t) => t.name)} />
      </Suspense>
      <div className="grid gap-8 md:grid-cols-2 xl:grid-cols-3 [&>*]:min-w-0">
        <TagsEditor runId={runId} tags={run.tags} known={tags} />
        <KeyValueTable title="Params" values={run.params} />
        <KeyValueTable title="Environment" values={run.env} />
        {Object.keys(final).length > 0 && <KeyValueTable title="Final metrics" values={final} />}
      </div>
      <NotesEditor runId={runId} notes={run.notes} rendered={<Markdown source={run.notes} />} />
      <Suspense fallback={<p className="text-sm text-zinc-500">Loading artifacts…</p>}>
        <ArtifactsSection runId={runId} />
      </Suspense>
    </div>
  );
}
