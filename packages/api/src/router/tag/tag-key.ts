/**
 * What makes two tag names the same tag: case does not (`Baseline` is `baseline`). The tag
 * keeps its first spelling; the store holds this key unique (migration tag_names_any_case,
 * which used PostgreSQL's lower() for tags that existed before).
 */
export const tagKey = (name: string) => name.toLowerCase();
