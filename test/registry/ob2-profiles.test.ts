/** A member's Open Badges 2.0 issuer Profiles (decision 0034): declared, validated, one member each, trusted. */
import { describe, expect, it } from 'vitest';
import { memberAdd } from '../../registry/actions/member-add.ts';
import { foldNetwork } from '../../registry/fold.ts';
import { findTrustPath } from '../../registry/trust.ts';
import { genesis, governors, makeAction, signed } from '../helpers/registry.ts';

const [g] = governors(1);
const PROFILE = 'https://badges.harbor.example/issuer.json';
const origin = genesis([g], 1, '2026-01-01T00:00:00Z', 'Harbor Skills');
const act = (at: string, fields: Record<string, unknown>) =>
  signed(makeAction({ network: origin.id, effectiveAt: at, ...fields } as never), [g]);
const add = (did: string, at: string, profiles: string[]) =>
  act(at, {
    type: 'member.add',
    did,
    name: did,
    accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    ob2Profiles: profiles,
  });

describe('when members declare Open Badges 2.0 issuer Profiles', () => {
  const first = add('did:web:harbor.example', '2026-02-01T00:00:00Z', [PROFILE]);
  const second = add('did:web:impostor.example', '2026-03-01T00:00:00Z', [PROFILE]);
  const state = foldNetwork(origin.id, [origin, first, second])!;
  const query = (issuer: string, ob2Profile?: string) => ({
    issuer,
    ...(ob2Profile ? { ob2Profile } : {}),
    credentialTypes: ['OpenBadgeCredential', 'Assertion'],
    issuedAt: new Date('2026-04-01T00:00:00Z'),
    at: new Date('2026-05-01T00:00:00Z'),
  });

  it('trusts a badge of a declared Profile as the declaring member’s', () => {
    expect(findTrustPath(new Map([[state.id, state]]), [state.id], query(PROFILE, PROFILE))).toMatchObject({
      trusted: true,
      trustPath: [state.id],
    });
  });

  it('maps a URL to a member only for an OB 2.0 issuer (a VC naming that URL as issuer is not mapped)', () => {
    expect(findTrustPath(new Map([[state.id, state]]), [state.id], query(PROFILE)).trusted).toBe(false);
  });

  it('rejects a second member’s claim to the same Profile when it folds', () => {
    expect(state.rejected).toContainEqual({ id: second.id, code: 'OB2_PROFILE_CLAIMED' });
  });

  it('refuses profiles that are not https URLs without fragment, duplicates, or too many', () => {
    const base = { type: 'member.add', network: origin.id, effectiveAt: '2026-02-01T00:00:00Z', nonce: 'n' };
    const validate = (ob2Profiles: unknown) =>
      memberAdd.validate({ ...base, did: 'did:web:a.example', name: 'A', ob2Profiles } as never);
    expect(() => validate([PROFILE])).not.toThrow();
    for (const bad of [
      ['http://a.example/issuer.json'],
      ['https://a.example/issuer.json#me'],
      ['not a url'],
      [PROFILE, PROFILE],
      [],
      Array.from({ length: 21 }, (_, i) => `https://a.example/${i}`),
      'https://a.example/issuer.json',
    ]) {
      expect(() => validate(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ACTION' }));
    }
  });
});
