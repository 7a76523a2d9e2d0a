import type { TRPCRouterRecord } from '@trpc/server';
import { attachTag, detachTag } from './attach-tag.js';
import { createTag } from './create-tag.js';
import { deleteTag } from './delete-tag.js';
import { listTags } from './list-tags.js';
import { renameTag, updateTag } from './update-tag.js';

export const tagRouter = {
  list: listTags,
  create: createTag,
  rename: renameTag,
  update: updateTag,
  delete: deleteTag,
  attach: attachTag,
  detach: detachTag,
} satisfies TRPCRouterRecord;
