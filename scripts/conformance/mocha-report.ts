/**
 * A suite's mocha JSON report, sorted for the conformance table: a test that does not apply to this node is
 * neither a pass nor a failure. It does not apply when it is pending and the suite adapter names it, or when it
 * failed because the generator answered that it does not (vc11-documents.ts NOT_APPLICABLE). A failure where
 * the suite departs from the specification it cites stays a failure, with the reason beside it.
 */
import { NOT_APPLICABLE } from './vc11-documents.ts';

/** A test (by full title) and why it is set apart. */
export interface TitledReason {
  title: RegExp;
  reason: string;
}

export interface ReportNotes {
  /** Pending tests that do not apply to this node. */
  notApplicable?: TitledReason[];
  /** Failing tests whose assertion contradicts the specification the test cites (still counted as failed). */
  departures?: TitledReason[];
  /** Why a test is pending when the suite itself skips it (still counted as pending). */
  pendingReasons?: TitledReason[];
}

export interface MochaTest {
  fullTitle: string;
  err?: { message?: string };
}
export interface MochaReport {
  stats: { passes: number; failures: number; pending: number; tests: number };
  failures: MochaTest[];
  pending: MochaTest[];
}

export interface SortedReport {
  passes: number;
  failures: Array<MochaTest & { departure?: string }>;
  pending: Array<MochaTest & { reason?: string }>;
  notApplicable: Array<{ title: string; reason: string }>;
}

export function sortReport(report: MochaReport, notes: ReportNotes = {}): SortedReport {
  const na: SortedReport['notApplicable'] = [];
  const failures = report.failures
    .filter((t) => {
      const message = t.err?.message ?? '';
      const at = message.indexOf(NOT_APPLICABLE);
      if (at >= 0) {
        na.push({
          title: t.fullTitle,
          reason: message
            .slice(at + NOT_APPLICABLE.length)
            .split('\n')[0]
            .trim(),
        });
      }
      return at < 0;
    })
    .map((t) => {
      const departure = notes.departures?.find((d) => d.title.test(t.fullTitle));
      return departure ? { ...t, departure: departure.reason } : t;
    });
  const pending = report.pending
    .filter((t) => {
      const listed = notes.notApplicable?.find((n) => n.title.test(t.fullTitle));
      if (listed) na.push({ title: t.fullTitle, reason: listed.reason });
      return !listed;
    })
    .map((t) => {
      const known = notes.pendingReasons?.find((n) => n.title.test(t.fullTitle));
      return known ? { ...t, reason: known.reason } : t;
    });
  return { passes: report.stats.passes, failures, pending, notApplicable: na };
}
