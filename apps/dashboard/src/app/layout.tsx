import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'trainbook',
  description: 'Runs, curves, tags and notes of your transfer-learning experiments.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-blue-600 focus:px-3 focus:py-1 focus:text-white"
        >
          Skip to content
        </a>
        {/* No prefetching: every page is rendered per request, and a page's prefetches would
            compete with its own charts for the server and the tracker (the bench measures it). */}
        <header className="border-b border-zinc-200 dark:border-zinc-800">
          <nav className="mx-auto flex max-w-screen-2xl items-center gap-6 px-4 py-3">
            <Link href="/" prefetch={false} className="font-semibold tracking-tight">
              trainbook
            </Link>
            <Link
              href="/"
              prefetch={false}
              className="text-sm text-zinc-600 hover:underline dark:text-zinc-400"
            >
              Runs
            </Link>
            <Link
              href="/notebook"
              prefetch={false}
              className="text-sm text-zinc-600 hover:underline dark:text-zinc-400"
            >
              Notebook
            </Link>
            <Link
              href="/tags"
              prefetch={false}
              className="text-sm text-zinc-600 hover:underline dark:text-zinc-400"
            >
              Tags
            </Link>
            <Link
              href="/sweeps"
              prefetch={false}
              className="text-sm text-zinc-600 hover:underline dark:text-zinc-400"
            >
              Sweeps
            </Link>
          </nav>
        </header>
        <main id="main" className="mx-auto max-w-screen-2xl px-4 py-6">
          {children}
        </main>
      </body>
    </html>
  );
}
