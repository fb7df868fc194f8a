import { describe, expect, it } from 'vitest';
import { formatReport } from '../../../node/cli/format-report.ts';
import { buildReport, ok } from '../../../registry/verification/report.ts';

describe('the terminal verification report', () => {
  it('lists each skill with its equivalents, and unresolved alignments', () => {
    const report = buildReport({
      checks: [ok('schema'), ok('proof'), ok('issuer'), ok('validity'), ok('status'), ok('trust'), ok('skills')],
      issuer: { did: 'did:key:z6Mk', name: 'Harbor CC', networks: [] },
      skills: [
        {
          alignment: { targetUrl: 'https://s.example/cy/IR-1' },
          status: 'resolved',
          skill: {
            id: 'https://s.example/cy/IR-1',
            name: 'Incident triage',
            code: 'IR-1',
            framework: 'https://s.example/cy',
          },
          equivalents: [
            {
              id: 'https://s.example/bw/SOC-1',
              name: 'SOC alert handling',
              framework: 'https://s.example/bw',
              relation: 'closeMatch',
              crosswalks: [{ id: 'cy-bw', publisher: 'did:key:z6Mk' }],
            },
          ],
        },
        { alignment: { targetName: 'Underwater welding' }, status: 'unresolved' },
      ],
    });
    const text = formatReport(report);
    expect(text).toContain('VALID, TRUSTED');
    expect(text).toContain('skill: IR-1 Incident triage  [https://s.example/cy]');
    expect(text).toContain('closeMatch: SOC alert handling  [https://s.example/bw]');
    expect(text).toContain('skill: Underwater welding (unresolved)');
  });
});
