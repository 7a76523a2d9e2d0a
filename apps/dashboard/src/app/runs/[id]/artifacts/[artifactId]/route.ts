import { tracker } from '../../../../../lib/trpc';

export const dynamic = 'force-dynamic';

/** An inline artifact's bytes as a file download (the model, a plot, the JSON). */
export async function GET(
  _request: Request,
  context: { params: Promise<{ id: string; artifactId: string }> },
) {
  const { artifactId } = await context.params;
  try {
    const artifact = await tracker.artifact.get.query({ id: artifactId });
    if (!artifact.contentBase64) {
      return new Response(
        `${artifact.name} is stored at ${artifact.location}, not in the tracker.`,
        { status: 404 },
      );
    }
    return new Response(Buffer.from(artifact.contentBase64, 'base64'), {
      headers: {
        'content-type': 'application/octet-stream',
        'content-disposition': `attachment; filename="${artifact.name.replace(/[^A-Za-z0-9._-]+/g, '_')}"`,
      },
    });
  } catch (error) {
    return new Response(`Cannot fetch the artifact: ${(error as Error).message}`, { status: 502 });
  }
}
