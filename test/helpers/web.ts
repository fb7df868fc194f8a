/** A real `ler-node` process set up for the web page tests: a network it governs, with itself accredited. */
import { type NodeProcess, startNodeProcess } from './process.ts';

export interface WebNode {
  node: NodeProcess;
  did: string;
  networkId?: string;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

export async function startWebNode(
  dataDir: string,
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<WebNode> {
  const node = await startNodeProcess(dataDir, env, 20_000, args);
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${node.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${node.token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const did = (await api('GET', '/health')).body.did as string;
  return { node, did, api };
}

/** Creates a one-governor network held by the node and accredits the node for Open Badges in it. */
export async function accreditSelf(web: WebNode, name = 'Retail Skills Consortium'): Promise<string> {
  const governor = (await web.api('POST', '/governor-keys')).body.did as string;
  const created = await web.api('POST', '/networks', {
    name,
    governors: [governor],
    threshold: 1,
    options: { sign: true },
  });
  const networkId = created.body.network.id as string;
  const proposed = await web.api('POST', '/proposals', {
    network: networkId,
    action: {
      type: 'member.add',
      did: web.did,
      name: 'Northfield Community College',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    },
    options: { sign: true },
  });
  if (!proposed.body.proposal?.approved) throw new Error(`member.add not approved: ${JSON.stringify(proposed.body)}`);
  web.networkId = networkId;
  return networkId;
}

export const TRIAGE = 'https://skills.example/harbor-cyber/ir-1';
export const SOC = 'https://skills.example/bluewave/soc-analyst';

/** Two published frameworks (one a small tree) and a crosswalk from the first to the second. */
export async function publishSampleSkills(web: WebNode): Promise<void> {
  const frameworks = [
    {
      id: 'https://skills.example/harbor-cyber',
      name: 'Harbor Cyber Skills',
      version: '1.0',
      items: [
        { id: 'https://skills.example/harbor-cyber/ir', name: 'Incident response' },
        {
          id: TRIAGE,
          code: 'CY-IR-1',
          name: 'Incident triage',
          description: 'Triage alerts and escalate incidents',
          broader: ['https://skills.example/harbor-cyber/ir'],
        },
      ],
    },
    {
      id: 'https://skills.example/bluewave',
      name: 'Bluewave Roles',
      version: '3',
      items: [{ id: SOC, name: 'SOC analyst duties' }],
    },
  ];
  for (const f of frameworks) {
    const published = await web.api('POST', '/skills/frameworks', f);
    if (published.status !== 201) throw new Error(`framework not published: ${JSON.stringify(published.body)}`);
  }
  const crosswalk = await web.api('POST', '/skills/crosswalks', {
    id: 'harbor-to-bluewave',
    mappings: [{ source: TRIAGE, target: SOC, relation: 'closeMatch' }],
  });
  if (crosswalk.status !== 201) throw new Error(`crosswalk not published: ${JSON.stringify(crosswalk.body)}`);
}
