import type { ReactNode } from 'react';

export function TagChip({
  name,
  colour,
  children,
}: {
  name: string;
  colour: string | null;
  children?: ReactNode;
}) {
  return (
    <span
      data-tag={name}
      className="inline-flex items-center gap-1 rounded-full border border-zinc-300 px-2 py-0.5 text-xs dark:border-zinc-700"
    >
      <span
        aria-hidden
        className="h-2 w-2 rounded-full"
        style={{ background: colour ?? '#9ca3af' }}
      />
      {name}
      {children}
    </span>
  );
}
