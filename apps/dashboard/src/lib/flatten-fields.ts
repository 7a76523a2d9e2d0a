/**
 * A nested JSON object (params, env) as flat `a.b` fields, so that `git`, `data`, `weights`,
 * `versions`, `augment` read as fields rather than JSON text. A list of plain values stays
 * one field; lists of objects are numbered (`layers.0.name`). An empty object or list is a
 * field of its own, so that nothing recorded disappears.
 */
export function flattenFields(
  values: Record<string, unknown>,
  prefix = '',
): [path: string, value: unknown][] {
  const fields: [string, unknown][] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      fields.push(...flattenFields(value, path));
    } else if (Array.isArray(value) && value.some((v) => isPlainObject(v) || Array.isArray(v))) {
      fields.push(...flattenFields(Object.fromEntries(value.map((v, i) => [i, v])), path));
    } else {
      fields.push([path, value]);
    }
  }
  return fields;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
