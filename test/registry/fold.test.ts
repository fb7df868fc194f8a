import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyActionSignature } from '../../protocol/signing/governor-keys.ts';
import { foldNetwork, mergeSignatures, stateDigest } from '../../registry/fold.ts';
import { isAuthorized, isRecognized, memberAt, membershipsOf } from '../../registry/queries.ts';
import type { SignedAction } from '../../registry/types.ts';
import { genesis, governors, makeAction, signed } from '../helpers/registry.ts';

const G = governors(4);
const [a, b, c, d] = G;
const origin = genesis([a, b, c], 2);
const net = origin.id;
const college = 'did:web:college.example';

const addCollege = signed(
  makeAction({
    type: 'member.add',
    network: net,
    effectiveAt: '2026-02-01T00:00:00Z',
    did: college,
    name: 'Example Community College',
    accreditations: [{ credentialTypes: ['OpenBadgeCredential'], validFrom: '2026-02-01T00:00:00Z' }],
  }),
  [a, b],
);

describe('folding a network', () => {
  it('derives the network id from the genesis and applies approved actions', () => {
    const state = foldNetwork(net, [origin, addCollege], { verifySignature: verifyActionSignature })!;
    expect(state.id).toBe(origin.id);
    expect(state.name).toBe('Test Network');
    expect(state.applied).toEqual([origin.id, addCollege.id]);
    expect(memberAt(state, college, '2026-03-01T00:00:00Z')?.status).toBe('active');
  });

  it('keeps an action with too few governor signatures pending until approvals merge', () => {
    const one = { ...addCollege, signatures: addCollege.signatures.slice(0, 1) };
    const pending = foldNetwork(net, [origin, one])!;
    expect(pending.pending).toEqual([addCollege.id]);
    const other = { ...addCollege, signatures: addCollege.signatures.slice(1) };
    const approved = foldNetwork(net, [origin, one, other])!;
    expect(approved.applied).toContain(addCollege.id);
  });

  it('counts one governor signing twice once', () => {
    const twice: SignedAction = { ...addCollege, signatures: [addCollege.signatures[0], addCollege.signatures[0]] };
    expect(foldNetwork(net, [origin, twice])!.pending).toEqual([addCollege.id]);
  });

  it('does not count signatures of non-governors or forged signatures', () => {
    const outsider = signed(addCollege.action, [a, d]);
    expect(foldNetwork(net, [origin, outsider], { verifySignature: verifyActionSignature })!.pending).toEqual([
      addCollege.id,
    ]);
    const forged: SignedAction = {
      ...addCollege,
      signatures: [addCollege.signatures[0], { signer: b.did, signature: addCollege.signatures[0].signature }],
    };
    expect(foldNetwork(net, [origin, forged], { verifySignature: verifyActionSignature })!.pending).toEqual([
      addCollege.id,
    ]);
  });

  it('judges each action under the governors in effect at its effectiveAt (rotation)', () => {
    const rotate = signed(
      makeAction({
        type: 'governance.update',
        network: net,
        effectiveAt: '2026-01-15T00:00:00Z',
        governors: [c.did, d.did],
        threshold: 2,
      }),
      [a, b],
    );
    // a and b were rotated away on 2026-01-15: their later signatures no longer count.
    expect(foldNetwork(net, [origin, rotate, addCollege])!.pending).toEqual([addCollege.id]);
    const byNew = signed(addCollege.action, [c, d]);
    expect(foldNetwork(net, [origin, rotate, byNew])!.applied).toContain(addCollege.id);
  });

  it('re-folds when an action with an earlier effectiveAt arrives late', () => {
    const suspend = signed(
      makeAction({ type: 'member.suspend', network: net, effectiveAt: '2026-05-01T00:00:00Z', did: college }),
      [a, b],
    );
    // The suspension alone is rejected (no such member)...
    expect(foldNetwork(net, [origin, suspend])!.rejected).toEqual([{ id: suspend.id, code: 'MEMBER_NOT_FOUND' }]);
    // ...and applies once the earlier admission arrives.
    const state = foldNetwork(net, [origin, suspend, addCollege])!;
    expect(state.applied).toEqual([origin.id, addCollege.id, suspend.id]);
  });

  it('returns nothing for a genesis below its own threshold', () => {
    expect(foldNetwork(net, [{ ...origin, signatures: origin.signatures.slice(0, 1) }])).toBeUndefined();
  });
});

describe('time-aware queries', () => {
  const suspend = signed(
    makeAction({ type: 'member.suspend', network: net, effectiveAt: '2026-05-01T00:00:00Z', did: college }),
    [a, b],
  );
  const reinstate = signed(
    makeAction({ type: 'member.reinstate', network: net, effectiveAt: '2026-06-01T00:00:00Z', did: college }),
    [a, c],
  );
  const remove = signed(
    makeAction({
      type: 'member.remove',
      network: net,
      effectiveAt: '2026-09-01T00:00:00Z',
      did: college,
      voidIssuedAfter: '2026-08-01T00:00:00Z',
    }),
    [b, c],
  );
  const state = foldNetwork(net, [origin, addCollege, suspend, reinstate, remove])!;

  it('answers authorization as of the issuance time', () => {
    expect(isAuthorized(state, college, 'OpenBadgeCredential', '2026-01-20T00:00:00Z').code).toBe('NOT_A_MEMBER');
    expect(isAuthorized(state, college, 'OpenBadgeCredential', '2026-04-01T00:00:00Z').authorized).toBe(true);
    expect(isAuthorized(state, college, 'OpenBadgeCredential', '2026-05-15T00:00:00Z').code).toBe('MEMBER_SUSPENDED');
    expect(isAuthorized(state, college, 'OpenBadgeCredential', '2026-07-01T00:00:00Z').authorized).toBe(true);
    expect(isAuthorized(state, college, 'OpenBadgeCredential', '2026-08-15T00:00:00Z').code).toBe('ISSUANCE_VOIDED');
    expect(isAuthorized(state, college, 'OpenBadgeCredential', '2026-10-01T00:00:00Z').code).toBe('ISSUANCE_VOIDED');
    expect(isAuthorized(state, college, 'ClrCredential', '2026-04-01T00:00:00Z').code).toBe('NOT_ACCREDITED');
  });

  it('lists memberships with their history start', () => {
    expect(membershipsOf([state], college)).toMatchObject([
      { network: net, status: 'removed', since: '2026-02-01T00:00:00Z' },
    ]);
  });

  it('answers recognition with scope and expiry', () => {
    const other = genesis([d], 1, '2026-01-02T00:00:00Z', 'Other').id;
    const recognize = signed(
      makeAction({
        type: 'network.recognize',
        network: net,
        effectiveAt: '2026-03-01T00:00:00Z',
        recognizedNetwork: other,
        credentialTypes: ['OpenBadgeCredential'],
        validUntil: '2027-01-01T00:00:00Z',
      }),
      [a, b],
    );
    const s = foldNetwork(net, [origin, recognize])!;
    expect(isRecognized(s, other, '2026-02-01T00:00:00Z').code).toBe('NOT_RECOGNIZED');
    expect(isRecognized(s, other, '2026-04-01T00:00:00Z', 'OpenBadgeCredential').recognized).toBe(true);
    expect(isRecognized(s, other, '2026-04-01T00:00:00Z', 'ClrCredential').code).toBe('OUT_OF_SCOPE');
    expect(isRecognized(s, other, '2027-02-01T00:00:00Z').code).toBe('RECOGNITION_EXPIRED');
  });
});

describe('convergence', () => {
  const actions: SignedAction[] = [origin, addCollege];
  for (let i = 0; i < 12; i++) {
    const day = String((i % 27) + 1).padStart(2, '0');
    const type = i % 3 === 0 ? 'member.add' : i % 3 === 1 ? 'member.suspend' : 'member.reinstate';
    actions.push(
      signed(
        makeAction({
          type,
          network: net,
          effectiveAt: `2026-0${3 + (i % 6)}-${day}T00:00:00Z`,
          did: `did:web:m${i % 4}.example`,
          ...(type === 'member.add' ? { name: `Member ${i}` } : {}),
        }),
        i % 4 === 0 ? [a] : [a, b],
      ),
    );
  }
  // Split some signatures across copies so merging matters.
  const split = actions.flatMap((e) =>
    e.signatures.length === 2
      ? [
          { ...e, signatures: [e.signatures[0]] },
          { ...e, signatures: [e.signatures[1]] },
        ]
      : [e],
  );
  const expected = stateDigest(foldNetwork(net, actions)!);

  it('gives the identical state digest for any permutation and duplication of the same actions', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(split, { minLength: split.length, maxLength: split.length }),
        fc.array(fc.nat(split.length - 1), { maxLength: 10 }),
        (order, dupes) => {
          const input = [...order, ...dupes.map((i) => split[i])];
          expect(stateDigest(foldNetwork(net, input)!)).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('merges signature sets by union regardless of order', () => {
    const [x, y] = [
      { ...addCollege, signatures: [addCollege.signatures[1]] },
      { ...addCollege, signatures: [addCollege.signatures[0]] },
    ];
    expect(mergeSignatures(x, y)).toEqual(mergeSignatures(y, x));
  });
});
