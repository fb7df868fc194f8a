import { describe, expect, it } from 'vitest';
import { type DemoStep, runDemo } from '../../scripts/demo-federation.ts';

describe('the pilot journeys demo (short variant)', () => {
  it('runs the journeys, the revocation and the suspension with every step as expected', async () => {
    const steps: DemoStep[] = [];
    const ok = await runDemo((s) => steps.push(s), { quick: true });
    expect(steps.filter((s) => !s.ok)).toEqual([]);
    expect(ok).toBe(true);
    expect(steps.map((s) => s.title)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Journey 1'),
        expect.stringContaining('Journey 2'),
        expect.stringContaining('revokes'),
        expect.stringContaining('suspends'),
      ]),
    );
  }, 90_000);
});
