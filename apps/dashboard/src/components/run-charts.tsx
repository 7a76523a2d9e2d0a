'use client';
import type { RouterOutputs } from '@trainbook/api/client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { browserClient } from '../lib/browser-client';
import {
  appendPoints,
  batchKeys,
  chartPoints,
  epochKeys,
  type PointsByKey,
  toPoints,
  zoomPoints,
} from '../lib/metric-keys';
import { chartLine, type SeriesData } from '../lib/series';
import { useLiveRun } from '../lib/use-live-run';
import { ChartControls } from './chart-controls';
import { ChartPair } from './chart-pair';

const train = '#2563eb';
const val = '#f97316';

/** Where a diagnosed problem began, marked on the epoch charts. */
export interface Onset {
  epoch: number;
  label: string;
}

/** An insight's evidence as the tracker sends it: a curve a finding rests on. */
export type EvidenceCurve = NonNullable<
  RouterOutputs['insight']['run']['diagnosis']['findings'][number]['curves']
>[number];

/** What the insights draw on the epoch charts: the problem's onset and the curves behind it. */
export interface ChartMarks {
  onset: Onset | null;
  evidence: EvidenceCurve[];
}

interface Props {
  runId: string;
  live: boolean;
  initial: PointsByKey;
  hasBatchMetrics: boolean;
  /** Streamed after the points (they come from the insights). */
  marks: Promise<ChartMarks>;
}

const evidenceColour = '#dc2626';

function evidenceSeries(evidence: EvidenceCurve[], metric: EvidenceCurve['metric']) {
  return evidence
    .filter((c) => c.metric === metric && c.points.length > 0)
    .map(
      (c): SeriesData => ({
        label: c.label,
        colour: evidenceColour,
        steps: c.points.map(([e]) => e),
        values: c.points.map(([, v]) => v),
        ...(c.style === 'line' ? { dash: [6, 4] } : { marks: true }),
      }),
    );
}

type Range = { from: number; to: number } | null;

async function fetchSeries(
  runId: string,
  keys: readonly string[],
  range: Range,
  maxPoints = chartPoints,
) {
  const series = await (await browserClient()).metric.series.query({
    runIds: [runId],
    keys: [...keys],
    maxPoints,
    ...(range ? { fromStep: range.from, toStep: range.to } : {}),
  });
  return Object.fromEntries(series.map((s) => [s.key, toPoints(s.points)])) as PointsByKey;
}

/** The seed's two charts (accuracy and loss, train vs val, by epoch), live while training. */
export function RunCharts({ runId, live, initial, hasBatchMetrics, marks: marksLater }: Props) {
  const router = useRouter();
  const [{ onset, evidence }, setMarks] = useState<ChartMarks>({ onset: null, evidence: [] });
  useEffect(() => {
    let current = true;
    marksLater.then(
      (m) => current && setMarks(m),
      () => current && setMarks({ onset: null, evidence: [] }),
    );
    return () => {
      current = false;
    };
  }, [marksLater]);
  const [epochs, setEpochs] = useState(initial);
  const [batches, setBatches] = useState<PointsByKey | null>(null);
  const [showBatches, setShowBatches] = useState(false);
  const [zoomed, setZoomed] = useState<{
    epoch: PointsByKey;
    batch: PointsByKey | null;
    range: Range;
  } | null>(null);
  const [weight, setWeight] = useState(0);
  const [logY, setLogY] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const connected = useLiveRun({
    runId,
    live,
    onPoints(byKey) {
      const merge = (prev: PointsByKey, keys: readonly string[]) => {
        const next = { ...prev };
        for (const key of keys) {
          const pts = byKey.get(key);
          if (pts) next[key] = appendPoints(prev[key] ?? { steps: [], values: [] }, pts);
        }
        return next;
      };
      setEpochs((prev) => merge(prev, epochKeys));
      setBatches((prev) => (prev ? merge(prev, batchKeys) : prev));
    },
    // The header (status, duration) is server-rendered: fetch it again.
    onEnded: () => router.refresh(),
  });

  const toggleBatches = useCallback(async () => {
    const next = !showBatches;
    setShowBatches(next);
    if (next && !batches) {
      try {
        setBatches(await fetchSeries(runId, batchKeys, null));
      } catch (e) {
        setError(`Could not load per-batch metrics: ${(e as Error).message}`);
      }
    }
  }, [showBatches, batches, runId]);

  const zoomTo = useCallback(
    async (kind: 'epoch' | 'batch', range: { from: number; to: number }) => {
      try {
        const keys = kind === 'epoch' ? epochKeys : batchKeys;
        const points = await fetchSeries(runId, keys, range, zoomPoints);
        setZoomed((z) => ({
          epoch: kind === 'epoch' ? points : (z?.epoch ?? epochs),
          batch: kind === 'batch' ? points : (z?.batch ?? null),
          range,
        }));
        setError(null);
      } catch (e) {
        setError(`Could not load that range: ${(e as Error).message}`);
      }
    },
    [runId, epochs],
  );

  const view = zoomed ?? { epoch: epochs, batch: batches };
  const line = useCallback(
    (source: PointsByKey | null, key: string, label: string, colour: string) =>
      chartLine(source?.[key], { label, colour, weight }),
    [weight],
  );
  // The epoch charts: train and val, and the evidence the insights rest on.
  const epochCharts = useMemo(
    () => ({
      accuracy: [
        line(view.epoch, 'accuracy', 'train accuracy', train),
        line(view.epoch, 'val_accuracy', 'val accuracy', val),
        ...evidenceSeries(evidence, 'val_accuracy'),
      ],
      loss: [
        line(view.epoch, 'loss', 'train loss', train),
        line(view.epoch, 'val_loss', 'val loss', val),
        ...evidenceSeries(evidence, 'val_loss'),
      ],
    }),
    [view.epoch, line, evidence],
  );
  const batchCharts = useMemo(
    () => ({
      accuracy: [line(view.batch, 'batch/accuracy', 'batch accuracy', train)],
      loss: [line(view.batch, 'batch/loss', 'batch loss', train)],
    }),
    [view.batch, line],
  );
  const empty = epochKeys.every((k) => !epochs[k]?.steps.length);

  return (
    <section aria-label="Curves" className="space-y-3">
      <ChartControls
        live={live}
        connected={connected}
        weight={weight}
        onWeight={setWeight}
        logY={logY}
        onLogY={setLogY}
      >
        {hasBatchMetrics && (
          <label className="flex items-center gap-1">
            <input type="checkbox" checked={showBatches} onChange={toggleBatches} /> Per-batch
            curves
          </label>
        )}
        {zoomed ? (
          <button
            type="button"
            onClick={() => setZoomed(null)}
            className="rounded border px-2 py-0.5"
          >
            Reset zoom (steps {zoomed.range?.from}–{zoomed.range?.to})
          </button>
        ) : (
          <span className="text-xs text-zinc-500">Drag across a chart to zoom.</span>
        )}
      </ChartControls>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
      {empty ? (
        <p className="rounded border border-dashed border-zinc-300 p-6 text-center text-sm dark:border-zinc-700">
          No epoch metrics yet{live ? ' — they appear here as the run logs them.' : '.'}
        </p>
      ) : (
        <ChartPair
          ids={['accuracy', 'loss']}
          titles={['Accuracy', 'Loss']}
          xLabel="epoch"
          series={epochCharts}
          logY={logY}
          onZoom={(r) => zoomTo('epoch', r)}
          marker={onset ? { x: onset.epoch, label: onset.label } : undefined}
        />
      )}
      {showBatches && view.batch && (
        <ChartPair
          ids={['batch-accuracy', 'batch-loss']}
          titles={['Accuracy per batch', 'Loss per batch']}
          xLabel="batch"
          series={batchCharts}
          logY={logY}
          onZoom={(r) => zoomTo('batch', r)}
        />
      )}
    </section>
  );
}
