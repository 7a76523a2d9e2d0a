import { tracker } from '../../../../lib/trpc';

export const dynamic = 'force-dynamic';

/** Every point of the run as a CSV or JSON download (export.run). */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  const { id } = await context.params;
  const format = new URL(request.url).searchParams.get('format') === 'json' ? 'json' : 'csv';
  try {
    const file = await tracker.export.run.query({ runId: id, format });
    return new Response(file.content, {
      headers: {
        'content-type': file.contentType,
        'content-disposition': `attachment; filename="${file.filename}"`,
      },
    });
  } catch (error) {
    return new Response(`Cannot export the run: ${(error as Error).message}`, { status: 502 });
  }
}
