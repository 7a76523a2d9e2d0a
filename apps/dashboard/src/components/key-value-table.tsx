import { formatValue } from '../lib/format';

export function KeyValueTable({
  title,
  values,
}: {
  title: string;
  values: Record<string, unknown>;
}) {
  const entries = Object.entries(values);
  return (
    <section aria-label={title} className="space-y-2">
      <h2 className="font-medium">{title}</h2>
      {entries.length === 0 ? (
        <p className="text-sm text-zinc-500">None recorded.</p>
      ) : (
        <table className="w-full text-sm">
          <tbody>
            {entries.map(([k, v]) => (
              <tr key={k} className="border-t border-zinc-200 dark:border-zinc-800">
                <th scope="row" className="py-1 pr-3 text-left font-normal text-zinc-500">
                  {k}
                </th>
                <td className="break-all py-1 font-mono text-xs">{formatValue(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
