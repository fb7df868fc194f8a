/**
 * A pool of worker threads for proof verification, so verification uses every
 * core while the main thread serves HTTP and libp2p. Jobs go to the worker with
 * the fewest pending; a worker that dies fails its pending jobs and is replaced.
 * A worker that answers a job with an internal error (the job threw, or left the
 * thread's built-ins changed: see proof-worker.ts) is replaced at once: that job
 * fails with PROOF_WORKER_FAILED, and the jobs queued behind it run on the fresh
 * worker, so one hostile request cannot spoil the answers of others.
 * Workers start on the first job and stop after `idleMs` without one: each holds
 * its own copy of the JSON-LD stack (~45 MiB), which an idle node should not pay.
 */
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { ProofJob, ProofVerifier } from '../../protocol/signing/proof-verifier.ts';
import type { ProofsResult } from '../../protocol/signing/verify-proofs.ts';
import { NodeError } from '../errors.ts';

interface Pending {
  job: ProofJob;
  /** The job as JSON, made when first posted (a job moved to a fresh worker is not serialized again). */
  text?: string;
  resolve: (result: ProofsResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Jobs posted in this event-loop turn, not yet sent: [id, job as JSON]. */
  outbox: Array<[number, string]>;
}

interface WorkerAnswer {
  id: number;
  result?: ProofsResult;
  error?: string;
  internal?: boolean;
}

export interface WorkerPool extends ProofVerifier {
  /** Thread ids of the running workers (for operators and tests: shows a replacement). */
  threadIds(): number[];
  /** Jobs posted and not yet answered, over all workers (the `ler_proof_queue_depth` gauge). */
  queueDepth(): number;
  /** Messages sent to workers so far: one per worker per event-loop turn with jobs for it (tests, operators). */
  messagesPosted(): number;
  close(): Promise<void>;
}

// Compiled (dist/*.js) the worker loads directly; from TypeScript sources it needs the tsx shim.
const ENTRY = import.meta.url.endsWith('.js')
  ? new URL('./proof-worker.js', import.meta.url)
  : new URL('./proof-worker-entry.mjs', import.meta.url);

/**
 * Starts a worker thread with a full-size young generation: JSON-LD processing allocates heavily, while the main
 * thread may run with a small one (bin/ler-node.js) to stay lean at idle. V8 flags are per process and a new
 * thread's heap is configured from them: `--max-semi-space-size=2` overrides `maxYoungGenerationSizeMb`, which
 * left proof workers with 2 MiB semi-spaces and ~22% of their time in GC (a worker's CPU profile under
 * bench:verify; an allocation loop in a worker ran 7x slower). 0 lets the worker's own limits decide; the main
 * thread's heap was configured when it started and keeps its size.
 */
export function startWorkerThread(entry: URL): Worker {
  v8.setFlagsFromString('--max-semi-space-size=0');
  return new Worker(entry, { resourceLimits: { maxYoungGenerationSizeMb: 48 } });
}

export function createWorkerPool(options: { size: number; idleMs?: number }): WorkerPool {
  if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError('pool size must be ≥ 1');
  const idleMs = options.idleMs ?? 60_000;
  let nextId = 0;
  let closing = false;
  let slots: Slot[] = [];
  let idleTimer: NodeJS.Timeout | undefined;
  let flushScheduled = false;
  let messages = 0;

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

  function post(slot: Slot, id: number, pending: Pending): void {
    slot.pending.set(id, pending);
    slot.worker.ref();
    // As JSON text, not as the object: structured-cloning a parsed 2 KB credential and its DID document cost the
    // main thread ~135 µs per job (a fifth of its time under bench:verify), a string ~7 µs plus ~25 µs to
    // stringify. A job is JSON by nature (parsed request bodies, stored lists, DID documents), so the worker gets
    // the same values (decision 0046; test/node/verification/worker-transport.test.ts compares the results).
    pending.text ??= JSON.stringify(pending.job);
    slot.outbox.push([id, pending.text]);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  }

  /**
   * Posts each worker's jobs of this event-loop turn as one message. A message to a worker that waits for work
   * wakes its thread, which cost the main thread ~25 µs per job on an idle machine and a fifth of its samples
   * under bench:verify on a loaded one, more than the message itself; under load many requests reach their proof
   * check in the same turn, so one wake-up serves them all. The jobs wait at most until the end of the turn.
   */
  function flush(): void {
    flushScheduled = false;
    for (const slot of slots) {
      if (slot.outbox.length === 0) continue;
      slot.worker.postMessage({ jobs: slot.outbox });
      slot.outbox = [];
      messages++;
    }
  }

  /** Swaps a corrupted worker for a fresh one; the jobs still waiting on it move over. */
  function replace(index: number, slot: Slot): void {
    const waiting = [...slot.pending];
    slot.pending.clear();
    void slot.worker.terminate();
    if (closing || slots[index] !== slot) {
      for (const [, pending] of waiting) pending.reject(new NodeError('PROOF_WORKER_FAILED', 'proof worker stopped'));
      return;
    }
    const fresh = spawn(index);
    slots[index] = fresh;
    for (const [id, pending] of waiting) post(fresh, id, pending);
  }

  function spawn(index: number): Slot {
    const worker = startWorkerThread(ENTRY);
    const slot: Slot = { worker, pending: new Map(), outbox: [] };
    worker.on('message', (message: WorkerAnswer) => {
      const pending = slot.pending.get(message.id);
      if (!pending) return;
      slot.pending.delete(message.id);
      if (message.result) {
        if (slot.pending.size === 0) worker.unref();
        pending.resolve(message.result);
        return;
      }
      pending.reject(new NodeError('PROOF_WORKER_FAILED', `proof job failed: ${message.error ?? 'unknown error'}`));
      if (message.internal) replace(index, slot);
      else if (slot.pending.size === 0) worker.unref();
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
      return new Promise<ProofsResult>((resolve, reject) => post(slot, id, { job, resolve, reject }));
    },
    threadIds() {
      return slots.map((slot) => slot.worker.threadId);
    },
    queueDepth() {
      return slots.reduce((n, slot) => n + slot.pending.size, 0);
    },
    messagesPosted() {
      return messages;
    },
    async close() {
      closing = true;
      if (idleTimer) clearTimeout(idleTimer);
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}
