import 'server-only';
import { createTrackerClient } from '@trainbook/api/client';
import { env } from '../env';

/** The tracker client server components use for the first paint (the token stays here). */
export const tracker = createTrackerClient({ url: env.TRACKER_URL, token: env.TRACKER_TOKEN });

export const trackerUrl = env.TRACKER_URL;
