'use client';
import Link from 'next/link';
import { useState } from 'react';
import { SortableHeader } from './sortable-header';
import { StatusBadge } from './status-badge';
import { TagChip } from './tag-chip';

export interface RunRow {
  id: string;
  name: string;
  status: string;
  statusReason: string | null;
  created: string;
  duration: string;
  params: string[];
  bestValAccuracy: string;
  epochs: string;
  tags: { name: string; colour: string | null }[];
}

export interface Column {
  key: string;
  label: string;
  href: string;
  sorted: 'asc' | 'desc' | null;
}

/** The runs table; ticking rows gathers them for the compare page. */
export function RunsTable({ rows, columns }: { rows: RunRow[]; columns: Column[] }) {
  const [selected, setSelected] = useState<string[]>([]);
  const toggle = (id: string) =>
    setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  return (
    <div className="space-y-2">
      <div className="flex items-center gap-3 text-sm">
        <span aria-live="polite">{selected.length} selected</span>
        {selected.length >= 2 ? (
          <Link
            href={`/compare?runs=${selected.map(encodeURIComponent).join(',')}`}
            className="rounded bg-blue-600 px-3 py-1 text-white hover:bg-blue-700"
          >
            Compare {selected.length} runs
          </Link>
        ) : (
          <span className="text-zinc-500">Tick two or more runs to compare them.</span>
        )}
      </div>
      <div className="overflow-x-auto rounded border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-left text-sm" data-testid="runs-table">
          <thead className="bg-zinc-50 text-xs text-zinc-500 dark:bg-zinc-900">
            <tr>
              <th scope="col" className="px-2 py-2">
                <span className="sr-only">Select</span>
              </th>
              {columns.map((c) => (
                <SortableHeader
                  key={c.key}
                  label={c.label}
                  href={c.href}
                  sorted={c.sorted}
                  className="whitespace-nowrap px-2 py-2"
                />
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.id}
                data-run={r.id}
                className="border-t border-zinc-200 align-top dark:border-zinc-800"
              >
                <td className="px-2 py-2">
                  <input
                    type="checkbox"
                    aria-label={`Select ${r.name}`}
                    checked={selected.includes(r.id)}
                    onChange={() => toggle(r.id)}
                  />
                </td>
                <td className="whitespace-nowrap px-2 py-2 font-medium">
                  <Link
                    href={`/runs/${encodeURIComponent(r.id)}`}
                    className="text-blue-700 hover:underline dark:text-blue-400"
                  >
                    {r.name}
                  </Link>
                </td>
                <td className="px-2 py-2">
                  <StatusBadge status={r.status} reason={r.statusReason} />
                </td>
                <td className="whitespace-nowrap px-2 py-2">{r.created}</td>
                <td className="whitespace-nowrap px-2 py-2">{r.duration}</td>
                {r.params.map((p, i) => (
                  <td
                    key={columns[i + 4]?.key ?? i}
                    className="whitespace-nowrap px-2 py-2 font-mono text-xs"
                  >
                    {p}
                  </td>
                ))}
                <td className="px-2 py-2 tabular-nums">{r.bestValAccuracy}</td>
                <td className="px-2 py-2 tabular-nums">{r.epochs}</td>
                <td className="px-2 py-2">
                  <span className="flex flex-wrap gap-1">
                    {r.tags.map((t) => (
                      <TagChip key={t.name} name={t.name} colour={t.colour} />
                    ))}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
