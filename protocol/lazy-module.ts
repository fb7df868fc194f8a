/**
 * A module imported at its first use rather than at start (decision 0050): what only some requests need should
 * not sit in an idle node's heap. Every call shares the one import.
 */
export function lazyModule<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load();
    return loading;
  };
}
