import { describe, expect, it } from 'vitest';
import { foldNetwork } from '../../registry/fold.ts';
import { findTrustPath } from '../../registry/trust.ts';
import type { NetworkState, SignedAction } from '../../registry/types.ts';
import { genesis, governors, makeAction, signed } from '../helpers/registry.ts';

const [g] = governors(1);
const university = 'did:web:lakeside.example';

function network(name: string, extra: (id: string) => SignedAction[]): NetworkState {
  const origin = genesis([g], 1, '2026-01-01T00:00:00Z', name);
  return foldNetwork(origin.id, [origin, ...extra(origin.id)])!;
}
const act = (network: string, at: string, fields: Record<string, unknown>) =>
  signed(makeAction({ network, effectiveAt: at, ...fields } as never), [g]);

// U: the university network; R: the retailer's network; X: a network nobody recognizes.
const U = network('University Network', (id) => [
  act(id, '2026-02-01T00:00:00Z', {
    type: 'member.add',
    did: university,
    name: 'Lakeside State University',
    accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
  }),
  act(id, '2026-06-01T00:00:00Z', { type: 'member.suspend', did: university }),
  act(id, '2026-07-01T00:00:00Z', { type: 'member.reinstate', did: university }),
]);
const X = network('Unrecognized', () => []);
const R = network('Retail Network', (id) => [
  act(id, '2026-01-15T00:00:00Z', {
    type: 'network.recognize',
    recognizedNetwork: U.id,
    credentialTypes: ['OpenBadgeCredential'],
  }),
]);
const all = new Map([R, U, X].map((s) => [s.id, s]));
const query = (issuedAt: string, types = ['OpenBadgeCredential'], at = '2026-11-01T00:00:00Z') => ({
  issuer: university,
  credentialTypes: types,
  issuedAt: new Date(issuedAt),
  at: new Date(at),
});

describe('trust paths', () => {
  it('trusts an issuer accredited in a network its anchor recognizes, with the path', () => {
    expect(findTrustPath(all, [R.id], query('2026-03-01T00:00:00Z'))).toMatchObject({
      trusted: true,
      trustPath: [R.id, U.id],
    });
    expect(findTrustPath(all, [U.id], query('2026-03-01T00:00:00Z'))).toMatchObject({
      trusted: true,
      trustPath: [U.id],
    });
  });

  it('keeps credentials issued before a suspension trusted, and not those issued during it', () => {
    expect(findTrustPath(all, [R.id], query('2026-05-31T00:00:00Z')).trusted).toBe(true);
    expect(findTrustPath(all, [R.id], query('2026-06-15T00:00:00Z'))).toMatchObject({
      trusted: false,
      code: 'MEMBER_SUSPENDED',
    });
    expect(findTrustPath(all, [R.id], query('2026-07-15T00:00:00Z')).trusted).toBe(true);
  });

  it('intersects the recognition scope with the credential type', () => {
    expect(findTrustPath(all, [R.id], query('2026-03-01T00:00:00Z', ['ClrCredential'])).trusted).toBe(false);
  });

  it('needs the recognition to hold at the time asked about', () => {
    expect(
      findTrustPath(all, [R.id], query('2026-03-01T00:00:00Z', ['OpenBadgeCredential'], '2026-01-10T00:00:00Z')),
    ).toMatchObject({
      trusted: false,
      code: 'NO_TRUST_PATH',
    });
  });

  it('says when there is no anchor, no path, or no membership', () => {
    expect(findTrustPath(all, [], query('2026-03-01T00:00:00Z')).code).toBe('NO_ANCHORS');
    expect(findTrustPath(all, [X.id], query('2026-03-01T00:00:00Z')).code).toBe('NO_TRUST_PATH');
    expect(
      findTrustPath(all, [R.id], { ...query('2026-03-01T00:00:00Z'), issuer: 'did:web:nobody.example' }).code,
    ).toBe('NOT_A_MEMBER');
  });

  it('says "at issuance time" for a credential issued before its issuer was admitted', () => {
    const answer = findTrustPath(all, [R.id], query('2026-01-20T00:00:00Z'));
    expect(answer.code).toBe('NOT_A_MEMBER');
    expect(answer.message).toContain('at issuance time');
    expect(answer.message).toContain('2026-02-01T00:00:00');
  });

  it('survives recognition loops and respects the depth limit', () => {
    // A chain R0 → R1 → … → R5 → U, with a loop back from R5 to R0.
    const chain: NetworkState[] = [];
    let next = U.id;
    for (let i = 5; i >= 0; i--) {
      const target = next;
      const s = network(`Chain ${i}`, (id) => [
        act(id, '2026-01-02T00:00:00Z', { type: 'network.recognize', recognizedNetwork: target }),
      ]);
      chain.unshift(s);
      next = s.id;
    }
    const looped = new Map([...chain, U].map((s) => [s.id, s]));
    const loopBack = network('Loop', (id) => [
      act(id, '2026-01-02T00:00:00Z', { type: 'network.recognize', recognizedNetwork: chain[0].id }),
    ]);
    looped.set(loopBack.id, loopBack);
    expect(findTrustPath(looped, [chain[4].id], query('2026-03-01T00:00:00Z'), 3)).toMatchObject({
      trusted: true,
      trustPath: [chain[4].id, chain[5].id, U.id],
    });
    expect(findTrustPath(looped, [chain[0].id], query('2026-03-01T00:00:00Z'), 3).code).toBe('NO_TRUST_PATH');
    expect(findTrustPath(looped, [loopBack.id], query('2026-03-01T00:00:00Z'), 10).trusted).toBe(true);
  });
});
