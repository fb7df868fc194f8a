/** Small JSON client of the node's HTTP API for setting up fixtures and checking outcomes. */

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely; the harness checks what it uses.
export type Loose = Record<string, any>;

export interface ApiAnswer {
  status: number;
  body: Loose;
}

export function api(baseUrl: string, token?: string) {
  async function once(method: string, path: string, body: unknown, withToken: boolean) {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token && withToken) headers.authorization = `Bearer ${token}`;
    return fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
  }
  async function call(method: string, path: string, body?: unknown, withToken = true): Promise<ApiAnswer> {
    // The harness's own setup and checks wait out a rate limit (the attack requests do not come here).
    let res = await once(method, path, body, withToken);
    for (let tries = 0; res.status === 429 && tries < 70; tries++) {
      await res.arrayBuffer();
      const wait = Math.min(Number(res.headers.get('retry-after') ?? 1) || 1, 5);
      await new Promise((r) => setTimeout(r, wait * 1000));
      res = await once(method, path, body, withToken);
    }
    const text = await res.text();
    let parsed: Loose;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { raw: text };
    }
    return { status: res.status, body: parsed };
  }
  /** Like call, but throws unless the status is one of `ok`. */
  async function must(method: string, path: string, body?: unknown, ok = [200, 201]): Promise<Loose> {
    const answer = await call(method, path, body);
    if (!ok.includes(answer.status)) {
      throw new Error(`${method} ${path} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`);
    }
    return answer.body;
  }
  return { call, must };
}

export type Api = ReturnType<typeof api>;

/** A governor key on the node, a 1-of-1 network under it, and the node's institution as its member. */
export async function createGovernedNetwork(
  client: Api,
  member: { did: string; name: string },
): Promise<{ networkId: string; governorDid: string }> {
  const { did: governorDid } = await client.must('POST', '/governor-keys');
  const created = await client.must('POST', '/networks', {
    name: 'Attack Test Network',
    governors: [governorDid],
    threshold: 1,
    options: { sign: true },
  });
  const networkId = created.proposal.id as string;
  await addMember(client, networkId, member);
  return { networkId, governorDid };
}

export async function addMember(client: Api, networkId: string, member: { did: string; name: string }) {
  const added = await client.must('POST', '/proposals', {
    network: networkId,
    action: {
      type: 'member.add',
      did: member.did,
      name: member.name,
      accreditations: [{ credentialTypes: ['OpenBadgeCredential', 'AchievementCredential'] }],
    },
    options: { sign: true },
  });
  if (!added.proposal.approved) throw new Error(`member.add of ${member.did} was not approved`);
  return added.proposal;
}

/** A small Open Badges 3.0 credential issued by `issuer`. */
export function badge(issuer: string, n = 0): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer,
    name: `Attack harness badge ${n}`,
    credentialSubject: {
      id: `did:example:learner-${n}`,
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://example.edu/achievements/attack-101',
        type: ['Achievement'],
        name: 'Incident Triage',
        criteria: { narrative: 'Passed the assessed triage exercise.' },
      },
    },
  };
}

export async function issue(client: Api, issuer: string, cryptosuite?: string, n = 0) {
  const body = await client.must('POST', '/credentials/issue', {
    credential: badge(issuer, n),
    options: cryptosuite ? { cryptosuite } : {},
  });
  return body.verifiableCredential as Loose;
}

export async function verifies(client: Api, vc: unknown): Promise<{ ok: boolean; why: string }> {
  const { status, body } = await client.call('POST', '/credentials/verify', { verifiableCredential: vc }, false);
  const ok = status === 200 && body.verified === true;
  const failed = (body.checks ?? []).filter((c: { status: string }) => c.status === 'failed');
  return { ok, why: ok ? '' : `${status} ${JSON.stringify(failed.length ? failed : body).slice(0, 300)}` };
}
