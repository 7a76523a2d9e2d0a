'use client';
import type { RouterOutputs } from '@trainbook/api/client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { browserClient } from '../lib/browser-client';
import { useHydrated } from '../lib/use-hydrated';

type Insights = RouterOutputs['insight']['run'];

const tone: Record<string, string> = {
  problem: 'border-red-300 bg-red-50 dark:border-red-900 dark:bg-red-950/40',
  warning: 'border-amber-300 bg-amber-50 dark:border-amber-900 dark:bg-amber-950/40',
  info: 'border-zinc-300 bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900',
};

/**
 * What the run's curves and params say: each finding with its onset, evidence, a plain
 * explanation, next steps in the trainer's flags, and its suggested tag to accept in one click.
 */
export function InsightsPanel({
  runId,
  insights,
  tags,
}: {
  runId: string;
  insights: Insights;
  tags: string[];
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const hydrated = useHydrated();
  const { diagnosis, comparison } = insights;
  const accept = (name: string) =>
    start(async () => {
      try {
        await (await browserClient()).tag.attach.mutate({ runId, name });
        setError(null);
        router.refresh();
      } catch (e) {
        setError((e as Error).message);
      }
    });

  const { verdict } = diagnosis;

  return (
    <section aria-label="Insights" className="space-y-3">
      <h2 className="font-medium">Insights</h2>
      <div data-verdict={verdict.kind} className="text-sm">
        {verdict.kind === 'too_early' ? (
          <p>
            <strong>Too early to tell.</strong>{' '}
            <span className="text-zinc-600 dark:text-zinc-400">
              {diagnosis.epochs < diagnosis.minEpochs
                ? `${diagnosis.epochs} of the ${diagnosis.minEpochs} epochs needed before the curves are read: before that, a few noisy epochs look like anything.`
                : verdict.summary.replace(/^Too early to tell: /, '')}
            </span>
          </p>
        ) : verdict.kind === 'none' ? (
          <p className="text-zinc-500">
            Nothing to say yet: insights appear as epochs with validation metrics arrive.
          </p>
        ) : (
          <p>
            <strong className="capitalize">{verdict.kind.replaceAll('_', ' ')}</strong>{' '}
            <span className="text-zinc-500">
              confidence {Math.round(verdict.confidence * 100)}% after {diagnosis.epochs} epochs
            </span>
          </p>
        )}
        {verdict.held && verdict.held.kind !== verdict.kind && (
          <p data-testid="verdict-held" className="text-zinc-600 dark:text-zinc-400">
            At epoch {verdict.held.since} the curves{' '}
            {verdict.held.kind === 'none'
              ? 'no longer show it'
              : `suggest ${verdict.held.kind.replaceAll('_', ' ')}`}
            ; the verdict changes once a second epoch agrees.
          </p>
        )}
      </div>
      <ul className="space-y-3">
        {diagnosis.findings.map((f) => (
          <li
            key={f.kind}
            data-finding={f.kind}
            className={`rounded border p-3 text-sm ${tone[f.severity]}`}
          >
            <div className="flex flex-wrap items-center gap-2">
              <strong className="capitalize">{f.kind.replaceAll('_', ' ')}</strong>
              {f.onsetEpoch !== null && <span>from epoch {f.onsetEpoch}</span>}
              <span className="text-zinc-500">confidence {Math.round(f.confidence * 100)}%</span>
              {tags.includes(f.suggestedTag) ? (
                <span className="text-zinc-500">tagged {f.suggestedTag}</span>
              ) : (
                <button
                  type="button"
                  disabled={!hydrated || pending}
                  onClick={() => accept(f.suggestedTag)}
                  className="rounded bg-blue-600 px-2 py-0.5 text-white disabled:opacity-50"
                >
                  Tag “{f.suggestedTag}”
                </button>
              )}
            </div>
            <p className="mt-1">{f.explanation}</p>
            {f.nextSteps.length > 0 && (
              <ul className="mt-2 list-disc space-y-0.5 pl-5">
                {f.nextSteps.map((s) => (
                  <li key={s.flags}>
                    <code className="rounded bg-zinc-200 px-1 dark:bg-zinc-800">
                      pnpm train {s.flags}
                    </code>{' '}
                    — {s.why}
                    <span className="block text-zinc-600 dark:text-zinc-400">
                      expect: {s.expect}
                    </span>
                    {s.tried && (
                      <span data-testid="tried" className="block text-zinc-600 dark:text-zinc-400">
                        {s.tried}
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {f.curves && f.curves.length > 0 && (
              <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
                On the charts, in red: {f.curves.map((c) => c.label).join('; ')}.
              </p>
            )}
            <details className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
              <summary>Evidence</summary>
              <code>{JSON.stringify(f.evidence)}</code>
            </details>
          </li>
        ))}
      </ul>
      {comparison && (
        <p className="text-sm" data-testid="since-previous">
          Since{' '}
          <a
            className="text-blue-600 underline dark:text-blue-400"
            href={`/runs/${encodeURIComponent(comparison.baselineRunId)}`}
          >
            {comparison.baselineName}
          </a>
          : {comparison.summary}
        </p>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
    </section>
  );
}
