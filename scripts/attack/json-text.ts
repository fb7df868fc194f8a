/**
 * JSON text with parts JSON.stringify cannot produce: numbers such as 1e400, own `__proto__` keys,
 * nesting built as text. A `Raw` value is written out verbatim.
 */
export class Raw {
  constructor(readonly text: string) {}
}

/** Marks a key for removal by a mutation. */
export const DELETE = Symbol('delete');

export function toJsonText(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (value === DELETE) return '';
  if (value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value && typeof value === 'object') {
    // Object.entries lists an own `__proto__` key made with defineProperty, as intended here.
    return `{${Object.entries(value)
      .filter(([, v]) => v !== DELETE)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A plain copy where `key` is an own property even when it is `__proto__`. */
export function withKey(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(object))
    Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Every path to a value inside `value` (the root included), depth-first. */
export function pathsOf(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []) {
  out.push(prefix);
  if (value instanceof Raw || value === null || typeof value !== 'object') return out;
  if (prefix.length > 12) return out;
  if (Array.isArray(value)) for (const [i, v] of value.entries()) pathsOf(v, [...prefix, i], out);
  else for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

/** A copy of `value` with the value at `path` replaced by `replace(old)`; copies only along the path. */
export function replaceAt(value: unknown, path: Array<string | number>, replace: (old: unknown) => unknown): unknown {
  if (path.length === 0) return replace(value);
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[head as number] = replaceAt(copy[head as number], rest, replace);
    return copy;
  }
  const object = value as Record<string, unknown>;
  return withKey(object, String(head), replaceAt(object[String(head)], rest, replace));
}
