/** What the verify page takes from a dropped file or pasted text when it is an Open Badges 2.0 badge. */
import { describe, expect, it } from 'vitest';
import { readCredentialUpload } from '../../../../node/http/pages/credential-upload.ts';
import { bakePng, PNG_KEYWORD_V2 } from '../../../../protocol/baking.ts';
import { ob2Fixture } from '../../../helpers/ob2.ts';

describe('when an Open Badges 2.0 badge is uploaded to the verify page', () => {
  it('verifies a pasted OB 2.0 JWS and shows the assertion it carries', async () => {
    const jws = ob2Fixture('spec/signed-example.jws').toString('utf8').trim();
    const upload = await readCredentialUpload(undefined, jws);
    expect(upload).toMatchObject({ secured: jws, credential: { type: 'Assertion' } });
  });

  it('verifies the hosted assertion a baked PNG links to', async () => {
    const png = bakePng(
      ob2Fixture('validator-core/public_domain_heart.png'),
      'https://example.org/a.json',
      PNG_KEYWORD_V2,
    );
    const upload = await readCredentialUpload(new File([png], 'badge.png'), '');
    expect(upload, JSON.stringify(upload)).toMatchObject({ secured: 'https://example.org/a.json' });
  });
});
