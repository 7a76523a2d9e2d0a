/** Where the charts will be, the height they will take, while their points stream in. */
export function CurvesPlaceholder() {
  return (
    <div aria-busy="true" className="grid animate-pulse gap-4 lg:grid-cols-2">
      <span className="sr-only">Loading curves…</span>
      <div className="h-80 rounded bg-zinc-100 dark:bg-zinc-900" />
      <div className="h-80 rounded bg-zinc-100 dark:bg-zinc-900" />
    </div>
  );
}
