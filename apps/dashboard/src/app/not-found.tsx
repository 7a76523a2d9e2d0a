import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="space-y-2">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p>
        No such run.{' '}
        <Link href="/" className="text-blue-600 underline">
          Back to the runs
        </Link>
      </p>
    </div>
  );
}
