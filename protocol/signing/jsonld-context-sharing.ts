/**
 * Makes jsonld.js share processed contexts instead of deep-copying them.
 *
 * Why: profiling eddsa-rdfc-2022 verification of an Open Badges 3.0 credential
 * shows ~40% of the time in jsonld's `_cloneActiveContext`, which deep-copies
 * every term definition (and, recursively, every previous context) at each
 * type-scoped context, and a further share re-processing scoped contexts
 * because `revertToPreviousContext` returns a fresh copy each time, defeating
 * jsonld's own identity-keyed cache of processed contexts.
 *
 * Why it is safe: jsonld only mutates an active context right after cloning
 * it (context.js `api.process`: `rval = rval.clone()` before any change), and
 * a term definition object is only written while it is being created. So a
 * clone may copy the term map and protected set shallowly and share the
 * previous context, and a revert may return the previous context itself.
 * test/protocol/signing/jsonld-context-sharing.test.ts checks that canonical
 * N-Quads are byte-identical with and without this change. See
 * docs/decisions/0003-jsonld-context-sharing.md.
 */
import { createRequire } from 'node:module';

interface ActiveContext {
  mappings: Map<string, unknown>;
  protected: Record<string, boolean>;
  previousContext?: ActiveContext;
  inverse: unknown;
  getInverse: unknown;
  clone: (this: ActiveContext) => ActiveContext;
  revertToPreviousContext: (this: ActiveContext) => ActiveContext;
  [key: string]: unknown;
}

interface Processed {
  context: ActiveContext;
  events: unknown[];
}

interface ResolvedContextPrototype {
  getProcessed(this: ResolvedContextInstance, activeCtx: ActiveContext): Processed | undefined;
  setProcessed(this: ResolvedContextInstance, activeCtx: ActiveContext, processed: Processed): void;
}
type ResolvedContextInstance = { [SCOPED]?: WeakMap<ActiveContext, Processed> };

const require = createRequire(import.meta.url);
const jsonldContext = require('jsonld/lib/context.js') as {
  getInitialContext(options: { processingMode?: string }): ActiveContext;
};
const ResolvedContext = require('jsonld/lib/ResolvedContext.js') as { prototype: ResolvedContextPrototype };

/** The context a clone was made from (a symbol: jsonld copies and enumerates only its own string-keyed fields). */
const SOURCE = Symbol('ler.clonedFrom');
/** Per resolved context: what applying it to a fresh non-propagating clone of a context gave, keyed by that context. */
const SCOPED = Symbol('ler.scopedProcessed');

function sharingClone(this: ActiveContext): ActiveContext {
  const child: ActiveContext = {
    mappings: new Map(this.mappings),
    clone: this.clone,
    inverse: null,
    getInverse: this.getInverse,
    protected: { ...this.protected },
    revertToPreviousContext: this.revertToPreviousContext,
  };
  if (this.previousContext) child.previousContext = this.previousContext;
  child[SOURCE as unknown as string] = this;
  // Exactly the fields jsonld's own clone copies (it does not copy processingMode).
  for (const key of ['@base', '@language', '@vocab']) {
    if (key in this) child[key] = this[key];
  }
  return child;
}

function sharingRevert(this: ActiveContext): ActiveContext {
  return this.previousContext ?? this;
}

/**
 * A type-scoped context is applied with `propagate: false`: jsonld's `api.process` first makes a fresh clone C of
 * the active context A with `C.previousContext = A`, then looks up its processed-context cache under C, which
 * misses every time because C is new, so the scoped context is processed again (a clone and a term definition
 * per term) for every node of that type. C is such a clone exactly when its previous context is the context it
 * was cloned from (every other clone keeps its source's previous context, and no context is its own previous
 * context), and jsonld never changes C before the lookup: so C stands for A, and the processed result can be
 * cached under A. The result is the same object graph jsonld would compute (same term definitions, previous
 * context A); test/protocol/signing/jsonld-cache-differential.test.ts compares N-Quads with plain jsonld.js.
 */
function freshScopedSource(activeCtx: ActiveContext): ActiveContext | undefined {
  const source = activeCtx[SOURCE as unknown as string] as ActiveContext | undefined;
  return source !== undefined && activeCtx.previousContext === source ? source : undefined;
}

function scopedGetProcessed(
  this: ResolvedContextInstance,
  original: ResolvedContextPrototype['getProcessed'],
  activeCtx: ActiveContext,
): Processed | undefined {
  const source = freshScopedSource(activeCtx);
  if (!source) return original.call(this, activeCtx);
  return this[SCOPED]?.get(source);
}

function scopedSetProcessed(
  this: ResolvedContextInstance,
  original: ResolvedContextPrototype['setProcessed'],
  activeCtx: ActiveContext,
  processed: Processed,
): void {
  const source = freshScopedSource(activeCtx);
  if (!source) {
    original.call(this, activeCtx, processed);
    return;
  }
  // Weak on the source context: an entry lives only as long as the context it was computed from.
  this[SCOPED] ??= new WeakMap();
  this[SCOPED].set(source, processed);
}

// getInitialContext caches one initial context per processing mode; every
// active context descends from one of them and inherits its clone/revert.
const MODES = [undefined, 'json-ld-1.0', 'json-ld-1.1'];

let original:
  | {
      clone: ActiveContext['clone'];
      revert: ActiveContext['revertToPreviousContext'];
      getProcessed: ResolvedContextPrototype['getProcessed'];
      setProcessed: ResolvedContextPrototype['setProcessed'];
    }
  | undefined;

/** Installs context sharing (idempotent). Returns a function that restores jsonld's own behaviour. */
export function installJsonLdContextSharing(): () => void {
  const initials = MODES.map((processingMode) => jsonldContext.getInitialContext({ processingMode }));
  const proto = ResolvedContext.prototype;
  original ??= {
    clone: initials[0].clone,
    revert: initials[0].revertToPreviousContext,
    getProcessed: proto.getProcessed,
    setProcessed: proto.setProcessed,
  };
  const saved = original;
  for (const initial of initials) {
    initial.clone = sharingClone;
    initial.revertToPreviousContext = sharingRevert;
  }
  proto.getProcessed = function getProcessed(activeCtx) {
    return scopedGetProcessed.call(this, saved.getProcessed, activeCtx);
  };
  proto.setProcessed = function setProcessed(activeCtx, processed) {
    scopedSetProcessed.call(this, saved.setProcessed, activeCtx, processed);
  };
  return () => {
    for (const initial of initials) {
      initial.clone = saved.clone;
      initial.revertToPreviousContext = saved.revert;
    }
    proto.getProcessed = saved.getProcessed;
    proto.setProcessed = saved.setProcessed;
  };
}

/** Whether this thread's jsonld runs with context sharing (the library baseline of bench:verify must not). */
export function jsonLdContextSharingActive(): boolean {
  return jsonldContext.getInitialContext({}).clone === sharingClone;
}
