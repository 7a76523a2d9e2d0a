import Link from 'next/link';

/**
 * A column header that sorts its table by following a link (the order lives in the URL), and
 * tells screen readers the order it shows.
 */
export function SortableHeader({
  label,
  href,
  sorted,
  className,
}: {
  label: string;
  href: string;
  sorted: 'asc' | 'desc' | null;
  className?: string;
}) {
  return (
    <th
      scope="col"
      className={className}
      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
    >
      <Link href={href} className="hover:underline">
        {label}
        {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
      </Link>
    </th>
  );
}
