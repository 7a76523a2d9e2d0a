import type { RouterOutputs } from '@trainbook/api/client';
import { confusionMatrixJson, perClassAccuracyJson, readJsonArtifact } from '../lib/artifact-json';
import { tracker } from '../lib/trpc';
import { ConfusionMatrix } from './confusion-matrix';
import { PerClassAccuracy } from './per-class-accuracy';

type Artifact = RouterOutputs['artifact']['list'][number];

const kib = (n: number) =>
  n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;

async function ArtifactView({ artifact }: { artifact: Artifact }) {
  if (artifact.kind !== 'confusion_matrix' && artifact.kind !== 'per_class_accuracy') return null;
  const full = await tracker.artifact.get.query({ id: artifact.id }).catch(() => null);
  if (!full) return <p className="text-sm text-red-700">Could not load {artifact.name}.</p>;
  if (artifact.kind === 'confusion_matrix') {
    const read = readJsonArtifact(confusionMatrixJson, full.contentBase64);
    return read.ok ? (
      <ConfusionMatrix name={artifact.name} value={read.value} />
    ) : (
      <p className="text-sm">
        {artifact.name}: {read.message}
      </p>
    );
  }
  const read = readJsonArtifact(perClassAccuracyJson, full.contentBase64);
  return read.ok ? (
    <PerClassAccuracy name={artifact.name} value={read.value} />
  ) : (
    <p className="text-sm">
      {artifact.name}: {read.message}
    </p>
  );
}

/**
 * Heat map and per-class bars for the JSON artifacts; a download or location for the rest.
 * It loads its own data so the page can stream it after the charts (inside Suspense).
 */
export async function ArtifactsSection({ runId }: { runId: string }) {
  const artifacts = await tracker.artifact.list.query({ runId }).catch(() => null);
  if (!artifacts) {
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-300">
        Could not load the artifacts from the tracker; reload to retry.
      </p>
    );
  }
  return (
    <section aria-label="Artifacts" className="space-y-3">
      <h2 className="font-medium">Artifacts</h2>
      {artifacts.length === 0 ? (
        <p className="text-sm text-zinc-500">No artifacts registered.</p>
      ) : (
        <>
          <ul className="space-y-1 text-sm">
            {artifacts.map((a) => (
              <li key={a.id} className="flex flex-wrap gap-2">
                <span className="rounded bg-zinc-100 px-1 text-xs dark:bg-zinc-800">{a.kind}</span>
                {a.location ? (
                  <span>
                    {a.name}{' '}
                    <span className="font-mono text-xs text-zinc-500">at {a.location}</span>
                  </span>
                ) : (
                  <a
                    href={`/runs/${encodeURIComponent(runId)}/artifacts/${a.id}`}
                    download={a.name}
                    className="text-blue-600 underline dark:text-blue-400"
                  >
                    Download {a.name}
                  </a>
                )}
                <span className="text-xs text-zinc-500">{kib(a.size)}</span>
              </li>
            ))}
          </ul>
          <div className="grid gap-6 lg:grid-cols-2 [&>*]:min-w-0">
            {artifacts.map((a) => (
              <ArtifactView key={a.id} artifact={a} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
