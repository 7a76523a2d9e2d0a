import ReactMarkdown from 'react-markdown';

/**
 * Notes as markdown. Raw HTML in the source is dropped (skipHtml, no rehype-raw) and
 * react-markdown's default URL filter removes javascript: links, so a note cannot script the page.
 */
export function Markdown({ source }: { source: string }) {
  return (
    <div className="prose-notes space-y-2 text-sm [&_a]:text-blue-600 [&_a]:underline [&_code]:font-mono [&_h1]:text-lg [&_h1]:font-semibold [&_h2]:font-semibold [&_li]:ml-5 [&_ol]:list-decimal [&_ul]:list-disc">
      <ReactMarkdown skipHtml>{source}</ReactMarkdown>
    </div>
  );
}
