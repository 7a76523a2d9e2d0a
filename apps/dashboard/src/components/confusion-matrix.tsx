import type { ConfusionMatrix as Matrix } from '../lib/artifact-json';

/** Rows: true class; columns: predicted. Each cell's shade is its share of its row. */
export function ConfusionMatrix({ name, value }: { name: string; value: Matrix }) {
  return (
    <figure className="min-w-0 space-y-1">
      <figcaption className="text-sm font-medium">Confusion matrix — {name}</figcaption>
      <div className="overflow-x-auto">
        <table className="border-collapse text-xs tabular-nums" data-testid="confusion-matrix">
          <thead>
            <tr>
              <th scope="col" className="p-1 text-left text-zinc-500">
                true ↓ / predicted →
              </th>
              {value.classes.map((c) => (
                <th key={c} scope="col" className="p-1 font-normal text-zinc-500">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {value.matrix.map((row, i) => {
              const total = row.reduce((a, b) => a + b, 0) || 1;
              const rowName = value.classes[i] ?? String(i);
              return (
                <tr key={rowName}>
                  <th scope="row" className="p-1 text-left font-normal text-zinc-500">
                    {rowName}
                  </th>
                  {row.map((count, j) => {
                    const share = count / total;
                    return (
                      <td
                        key={value.classes[j] ?? j}
                        title={`${rowName} → ${value.classes[j]}: ${count} (${(share * 100).toFixed(1)} %)`}
                        className="h-8 min-w-8 p-1 text-center"
                        style={{
                          background: `rgba(${i === j ? '37,99,235' : '220,38,38'},${Math.min(1, share * 1.2).toFixed(3)})`,
                          color: share > 0.5 ? 'white' : undefined,
                        }}
                      >
                        {count}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
