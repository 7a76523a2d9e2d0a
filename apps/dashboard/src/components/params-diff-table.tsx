import Link from 'next/link';
import { flattenFields } from '../lib/flatten-fields';
import { formatValue } from '../lib/format';

interface Run {
  id: string;
  name: string;
  colour: string;
  params: Record<string, unknown>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Params side by side (nested ones as `a.b` fields); a cell that differs from the baseline
 * run's is highlighted.
 */
export function ParamsDiffTable({
  runs,
  baselineId,
  hrefFor,
}: {
  runs: Run[];
  baselineId: string;
  hrefFor: (id: string) => string;
}) {
  const baseline = runs.find((r) => r.id === baselineId) ?? runs[0]!;
  const fields = new Map(runs.map((r) => [r.id, new Map(flattenFields(r.params))]));
  const value = (runId: string, key: string) => fields.get(runId)!.get(key);
  const keys = [...new Set([...fields.values()].flatMap((f) => [...f.keys()]))].sort();
  return (
    <section aria-label="Params" className="space-y-2">
      <h2 className="font-medium">
        Params (highlighted: differs from the baseline, {baseline.name})
      </h2>
      <div className="overflow-x-auto rounded border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-left text-sm" data-testid="params-diff">
          <thead className="bg-zinc-50 text-xs dark:bg-zinc-900">
            <tr>
              <th scope="col" className="px-2 py-2">
                param
              </th>
              {runs.map((r) => (
                <th key={r.id} scope="col" className="px-2 py-2">
                  <span className="flex items-center gap-2">
                    <span
                      aria-hidden
                      className="h-2 w-2 rounded-full"
                      style={{ background: r.colour }}
                    />
                    {r.name}
                  </span>
                  {r.id === baseline.id ? (
                    <span className="text-xs font-normal text-zinc-500">baseline</span>
                  ) : (
                    <Link
                      href={hrefFor(r.id)}
                      prefetch={false}
                      className="text-xs font-normal text-blue-600 underline dark:text-blue-400"
                    >
                      use as baseline
                    </Link>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k} data-param={k} className="border-t border-zinc-200 dark:border-zinc-800">
                <th scope="row" className="px-2 py-1 font-normal text-zinc-500">
                  {k}
                </th>
                {runs.map((r) => {
                  const differs =
                    r.id !== baseline.id && !same(value(r.id, k), value(baseline.id, k));
                  return (
                    <td
                      key={r.id}
                      data-differs={differs ? 'true' : undefined}
                      className={`px-2 py-1 font-mono text-xs ${differs ? 'bg-amber-100 font-semibold text-amber-900 dark:bg-amber-900/40 dark:text-amber-100' : ''}`}
                    >
                      {formatValue(value(r.id, k))}
                      {differs && <span className="sr-only"> (differs from baseline)</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
