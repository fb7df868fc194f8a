import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readRecipient } from '../../../protocol/ob2/documents.ts';
import { matchRecipient } from '../../../protocol/ob2/recipient.ts';

describe('when an OB 2.0 recipient is checked against a claimed identity', () => {
  it('matches the spec’s IdentityHash example (sha256 of "mayze", unsalted)', () => {
    const recipient = readRecipient({
      type: 'email',
      hashed: true,
      identity: 'sha256$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6',
    });
    expect(matchRecipient(recipient, 'mayze').status).toBe('ok');
  });

  it('matches salted md5 and upper-case hex, and refuses another identity', () => {
    const hex = createHash('md5').update('+15555550100salt').digest('hex').toUpperCase();
    const recipient = readRecipient({ type: 'telephone', hashed: true, salt: 'salt', identity: `md5$${hex}` });
    expect(matchRecipient(recipient, '+15555550100').status).toBe('ok');
    expect(matchRecipient(recipient, '+15555550199')).toMatchObject({ status: 'failed', code: 'RECIPIENT_MISMATCH' });
  });

  it('compares a plain identity as given', () => {
    const recipient = readRecipient({ type: 'url', hashed: false, identity: 'https://learner.example/me' });
    expect(matchRecipient(recipient, 'https://learner.example/me').status).toBe('ok');
    expect(matchRecipient(recipient, 'https://learner.example/you').status).toBe('failed');
  });

  it('says nothing either way without a claimed identity', () => {
    const recipient = readRecipient({ type: 'email', hashed: false, identity: 'a@example.org' });
    expect(matchRecipient(recipient, undefined)).toMatchObject({ status: 'unchecked', code: 'RECIPIENT_NOT_CHECKED' });
  });

  it('refuses a hashed identity that is no sha256$ or md5$ hash', () => {
    expect(() => readRecipient({ type: 'email', hashed: true, identity: 'sha1$abcd' })).toThrow(/sha256\$/);
  });
});
