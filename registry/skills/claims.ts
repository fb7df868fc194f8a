/**
 * Who may speak for a framework or a skill id. Any member can publish a
 * framework under any id, so two publishers can claim the same framework or
 * item id: by mistake, or to make verifiers read another institution's skills
 * in its own words. A claim stands when a single publisher makes it, or when
 * exactly one claimant is a did:web on the host of the id's URL (it controls
 * that name). Otherwise nobody's claim is served: the id shows as a conflict
 * for governance to settle, instead of whichever arrived last. Pure.
 */

export interface Claimed {
  id: string;
  publisher: string;
}

/** Does `publisher` control the name `id`? (did:web:HOST[:PATH] publishing https://HOST/…) */
export function controlsName(publisher: string, id: string): boolean {
  if (!publisher.startsWith('did:web:')) return false;
  const host = decodeURIComponent(publisher.slice('did:web:'.length).split(':')[0]);
  try {
    const url = new URL(id);
    return url.protocol === 'https:' && url.host === host;
  } catch {
    return false;
  }
}

/** The publisher whose claim to `id` stands, or the competing publishers when none does. */
export function settleClaim(id: string, publishers: Iterable<string>): { owner: string } | { conflict: string[] } {
  const distinct = [...new Set(publishers)].sort();
  if (distinct.length === 1) return { owner: distinct[0] };
  const controlling = distinct.filter((p) => controlsName(p, id));
  if (controlling.length === 1) return { owner: controlling[0] };
  return { conflict: distinct };
}

/** Collects claims one at a time (so a caller can pause between them), then says which stand. */
export function createClaims() {
  // Almost every id has one claimant: keep a string, and a list only when a second one shows up.
  const byId = new Map<string, string | string[]>();
  return {
    add(id: string, publisher: string): void {
      const seen = byId.get(id);
      if (seen === undefined) byId.set(id, publisher);
      else if (typeof seen === 'string') {
        if (seen !== publisher) byId.set(id, [seen, publisher]);
      } else if (!seen.includes(publisher)) seen.push(publisher);
    },
    settle(): { stands: (id: string, publisher: string) => boolean; conflicts: Map<string, string[]> } {
      const conflicts = new Map<string, string[]>();
      const owners = new Map<string, string>();
      for (const [id, publishers] of byId) {
        if (typeof publishers === 'string') continue;
        const settled = settleClaim(id, publishers);
        if ('owner' in settled) owners.set(id, settled.owner);
        else conflicts.set(id, settled.conflict);
      }
      const stands = (id: string, publisher: string) => {
        const claimants = byId.get(id);
        return claimants === publisher || owners.get(id) === publisher;
      };
      return { stands, conflicts };
    },
  };
}

/** Keeps the claims that stand and lists the conflicts, for ids claimed in `claims`. */
export function settleClaims<T extends Claimed>(claims: T[]): { kept: T[]; conflicts: Map<string, string[]> } {
  const tracker = createClaims();
  for (const c of claims) tracker.add(c.id, c.publisher);
  const { stands, conflicts } = tracker.settle();
  return { kept: claims.filter((c) => stands(c.id, c.publisher)), conflicts };
}
