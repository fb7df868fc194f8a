/**
 * Notices when a thread's built-in objects were changed: the mark of prototype
 * pollution (a library writing input-chosen keys onto Object.prototype or a
 * built-in function). A proof worker checks after every job; once polluted,
 * nothing the thread computes can be trusted, so the pool replaces it.
 */

// The objects a `obj[inputKey] = …` pattern can reach through inherited names
// (`__proto__`, `constructor`, `toString`, `hasOwnProperty`, …).
function intrinsics(): object[] {
  const objectProto = Object.prototype as unknown as Record<string, object>;
  return [
    Object.prototype,
    Array.prototype,
    Function.prototype,
    String.prototype,
    Number.prototype,
    Boolean.prototype,
    Map.prototype,
    Set.prototype,
    Promise.prototype,
    Object,
    Array,
    Function,
    ...Object.getOwnPropertyNames(Object.prototype)
      .filter((name) => name !== '__proto__')
      .map((name) => Object.getOwnPropertyDescriptor(objectProto, name)?.value)
      .filter((value): value is object => typeof value === 'function'),
  ];
}

function fingerprint(objects: object[]): string[] {
  return objects.map((o) => Reflect.ownKeys(o).map(String).join('\u0000'));
}

/** Takes a snapshot of the built-ins now; `intact()` then says whether they are still as they were. */
export function watchRuntimeIntegrity(): { intact(): boolean } {
  const objects = intrinsics();
  const baseline = fingerprint(objects);
  return {
    intact() {
      const now = fingerprint(objects);
      return now.every((keys, i) => keys === baseline[i]);
    },
  };
}
