/**
 * Keeps JSON-LD node identifiers from reaching Object.prototype.
 *
 * Why: jsonld.js (9.0.0, digitalbazaar/jsonld.js#584, open) builds its node
 * map, on the way to RDF for every canonicalization, in plain objects keyed by
 * node `@id`s: `subjects[name] = subjects[name] || {}` in lib/nodeMap.js. A
 * credential with `"statusListCredential": "__proto__"` (a relative IRI, kept
 * as-is) makes `subjects['__proto__']` answer Object.prototype, and jsonld then
 * writes `'@id'` and the node's properties onto it: from then on every object
 * in the thread has an `@id`, and every later canonicalization fails ("keywords
 * cannot be overridden", "Maximum call stack size exceeded"). `constructor`,
 * `toString`, `hasOwnProperty` and the other inherited names hand out the
 * built-in functions the same way, which then collect data across requests.
 *
 * The fix: every subject map (and the map of graphs) gets a null prototype
 * before jsonld reads or writes it, so an `@id` is only ever an own key. The
 * maps are created as literals inside jsonld, so we re-prototype them where
 * jsonld passes them in: `createNodeMap` recurses through its module's export
 * object (`api.createNodeMap`), which is where this wrapper sits. toRdf.js
 * holds the original function, but it only calls it with expanded input, an
 * array, whose every element goes through the wrapper before any map is
 * touched. test/protocol/signing/jsonld-prototype-guard.test.ts proves the
 * sequence and checks canonical N-Quads are unchanged.
 */
import { createRequire } from 'node:module';

type CreateNodeMap = (
  input: unknown,
  graphs: Record<string, Record<string, unknown>>,
  graph: string,
  issuer: unknown,
  name?: string,
  list?: unknown[],
) => void;

const require = createRequire(import.meta.url);
const nodeMap = require('jsonld/lib/nodeMap.js') as { createNodeMap: CreateNodeMap };

function nullPrototype(map: object | undefined): void {
  if (map && Object.getPrototypeOf(map) !== null) Object.setPrototypeOf(map, null);
}

let original: CreateNodeMap | undefined;

/** Installs the guard (idempotent). Returns a function that restores jsonld's own behaviour. */
export function installJsonLdPrototypeGuard(): () => void {
  if (!original) {
    const unguarded = nodeMap.createNodeMap;
    original = unguarded;
    nodeMap.createNodeMap = function guardedCreateNodeMap(input, graphs, graph, issuer, name, list) {
      nullPrototype(graphs);
      nullPrototype(graphs[graph]);
      return unguarded(input, graphs, graph, issuer, name, list);
    };
  }
  return () => {
    if (original) nodeMap.createNodeMap = original;
    original = undefined;
  };
}
