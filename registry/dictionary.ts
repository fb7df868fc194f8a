/**
 * Records keyed by data from outside (DIDs, network ids). A plain `{}` answers
 * `state.members['constructor']` with Object's constructor and `['__proto__']`
 * with Object.prototype; a record without a prototype has only the keys put in.
 */
export function dictionary<T>(from?: Readonly<Record<string, T>>): Record<string, T> {
  const record = Object.create(null) as Record<string, T>;
  // Plain assignment: on a prototype-less object even `__proto__` is an ordinary own key.
  if (from) for (const key of Object.keys(from)) record[key] = from[key];
  return record;
}
