import type { PerClassAccuracy as Value } from '../lib/artifact-json';

export function PerClassAccuracy({ name, value }: { name: string; value: Value }) {
  return (
    <figure className="min-w-0 space-y-1">
      <figcaption className="text-sm font-medium">Per-class accuracy — {name}</figcaption>
      <ul className="space-y-1 text-xs" data-testid="per-class-accuracy">
        {value.classes.map((c, i) => {
          const a = value.accuracy[i] ?? 0;
          return (
            <li key={c} className="grid grid-cols-[6rem_1fr_3.5rem] items-center gap-2">
              <span className="truncate">{c}</span>
              <span className="h-3 rounded bg-zinc-200 dark:bg-zinc-800" aria-hidden>
                <span
                  className="block h-3 rounded bg-blue-600"
                  style={{ width: `${Math.max(0, Math.min(1, a)) * 100}%` }}
                />
              </span>
              <span className="text-right tabular-nums">{(a * 100).toFixed(1)} %</span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}
