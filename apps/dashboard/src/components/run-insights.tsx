import type { RouterOutputs } from '@trainbook/api/client';
import { load } from '../lib/load';
import { InsightsPanel } from './insights-panel';
import { TrackerDown } from './tracker-down';

/** The insights panel, streamed once the tracker has read the run's curves. */
export async function RunInsights({
  runId,
  insights,
  tags,
}: {
  runId: string;
  insights: Promise<RouterOutputs['insight']['run']>;
  tags: string[];
}) {
  const result = await load(() => insights);
  if (!result.ok) return <TrackerDown message={result.message} />;
  return <InsightsPanel runId={runId} insights={result.data} tags={tags} />;
}
