import { flattenFields } from '../lib/flatten-fields';
import { formatValue } from '../lib/format';

/** A run's params, env or final metrics: nested objects as `a.b` fields, the parents dimmed. */
export function KeyValueTable({
  title,
  values,
}: {
  title: string;
  values: Record<string, unknown>;
}) {
  const fields = flattenFields(values);
  return (
    <section aria-label={title} className="space-y-2">
      <h2 className="font-medium">{title}</h2>
      {fields.length === 0 ? (
        <p className="text-sm text-zinc-500">None recorded.</p>
      ) : (
        <table className="w-full text-sm">
          <tbody>
            {fields.map(([path, v]) => {
              const dot = path.lastIndexOf('.');
              return (
                <tr
                  key={path}
                  data-field={path}
                  className="border-t border-zinc-200 dark:border-zinc-800"
                >
                  <th scope="row" className="py-1 pr-3 text-left align-top font-normal">
                    {dot > 0 && (
                      <span className="text-zinc-400 dark:text-zinc-500">
                        {path.slice(0, dot + 1)}
                      </span>
                    )}
                    <span className="text-zinc-600 dark:text-zinc-400">{path.slice(dot + 1)}</span>
                  </th>
                  <td className="break-all py-1 font-mono text-xs">{formatValue(v)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
