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

const require = createRequire(import.meta.url);
const jsonldContext = require('jsonld/lib/context.js') as {
  getInitialContext(options: { processingMode?: string }): ActiveContext;
};

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
  // Exactly the fields jsonld's own clone copies (it does not copy processingMode).
  for (const key of ['@base', '@language', '@vocab']) {
    if (key in this) child[key] = this[key];
  }
  return child;
}

function sharingRevert(this: ActiveContext): ActiveContext {
  return this.previousContext ?? this;
}

// getInitialContext caches one initial context per processing mode; every
// active context descends from one of them and inherits its clone/revert.
const MODES = [undefined, 'json-ld-1.0', 'json-ld-1.1'];

let original: { clone: ActiveContext['clone']; revert: ActiveContext['revertToPreviousContext'] } | undefined;

/** Installs context sharing (idempotent). Returns a function that restores jsonld's own behaviour. */
export function installJsonLdContextSharing(): () => void {
  const initials = MODES.map((processingMode) => jsonldContext.getInitialContext({ processingMode }));
  original ??= { clone: initials[0].clone, revert: initials[0].revertToPreviousContext };
  const saved = original;
  for (const initial of initials) {
    initial.clone = sharingClone;
    initial.revertToPreviousContext = sharingRevert;
  }
  return () => {
    for (const initial of initials) {
      initial.clone = saved.clone;
      initial.revertToPreviousContext = saved.revert;
    }
  };
}
