import { z } from 'zod';
import { colour, runId, tagName } from '../shared.schema.js';

/** Attaching a tag that does not exist yet creates it (with `colour`, if given). */
export const attachTagInput = z.object({ runId, name: tagName, colour: colour.optional() });
