import type { TRPCRouterRecord } from '@trpc/server';
import { attachTag } from './attach-tag.js';
import { createTag } from './create-tag.js';
import { deleteTag } from './delete-tag.js';
import { detachTag } from './detach-tag.js';
import { listTags } from './list-tags.js';
import { renameTag } from './rename-tag.js';
import { updateTag } from './update-tag.js';

export const tagRouter = {
  list: listTags,
  create: createTag,
  rename: renameTag,
  update: updateTag,
  delete: deleteTag,
  attach: attachTag,
  detach: detachTag,
} satisfies TRPCRouterRecord;
