/**
 * A pool of worker threads for proof verification, so verification uses every
 * core while the main thread serves HTTP and libp2p. Jobs go to the worker with
 * the fewest pending; a worker that dies fails its pending jobs and is replaced.
 * Workers start on the first job and stop after `idleMs` without one: each holds
 * its own copy of the JSON-LD stack (~45 MiB), which an idle node should not pay.
 */
import { Worker } from 'node:worker_threads';
import type { ProofJob, ProofVerifier } from '../../protocol/signing/proof-verifier.ts';
import type { ProofsResult } from '../../protocol/signing/verify-proofs.ts';

interface Pending {
  resolve: (result: ProofsResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

// Compiled (dist/*.js) the worker loads directly; from TypeScript sources it needs the tsx shim.
const ENTRY = import.meta.url.endsWith('.js')
  ? new URL('./proof-worker.js', import.meta.url)
  : new URL('./proof-worker-entry.mjs', import.meta.url);

export function createWorkerPool(options: { size: number; idleMs?: number }): ProofVerifier {
  if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError('pool size must be ≥ 1');
  const idleMs = options.idleMs ?? 60_000;
  let nextId = 0;
  let closing = false;
  let slots: Slot[] = [];
  let idleTimer: NodeJS.Timeout | undefined;

  function scheduleIdleStop(): void {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (slots.some((s) => s.pending.size > 0)) return scheduleIdleStop();
      const stopping = slots;
      slots = [];
      for (const slot of stopping) void slot.worker.terminate();
    }, idleMs);
    idleTimer.unref();
  }

  function spawn(index: number): Slot {
    // JSON-LD processing allocates heavily: workers keep a full-size young generation even when the main
    // thread runs with a small one (bin/ler-node.js) to stay lean at idle.
    const worker = new Worker(ENTRY, { resourceLimits: { maxYoungGenerationSizeMb: 48 } });
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (message: { id: number; result?: ProofsResult; error?: string }) => {
      const pending = slot.pending.get(message.id);
      if (!pending) return;
      slot.pending.delete(message.id);
      if (slot.pending.size === 0) worker.unref();
      if (message.result) pending.resolve(message.result);
      else pending.reject(new Error(message.error ?? 'proof worker failed'));
    });
    const fail = (error: Error) => {
      for (const pending of slot.pending.values()) pending.reject(error);
      slot.pending.clear();
      if (!closing && slots[index] === slot) slots[index] = spawn(index);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!closing && slots[index] === slot) fail(new Error(`proof worker exited with code ${code}`));
    });
    // Idle workers must not keep the process alive; busy ones must.
    worker.unref();
    return slot;
  }

  return {
    verify(job: ProofJob) {
      if (slots.length === 0) slots = Array.from({ length: options.size }, (_, i) => spawn(i));
      scheduleIdleStop();
      const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise<ProofsResult>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.ref();
        slot.worker.postMessage({ id, job });
      });
    },
    async close() {
      closing = true;
      if (idleTimer) clearTimeout(idleTimer);
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}
