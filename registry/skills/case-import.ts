/**
 * Imports a 1EdTech CASE 1.1 package (CFDocument, CFItems, CFAssociations)
 * into the internal framework model: items keep their CASE URIs as ids,
 * `humanCodingScheme` as code, and `isChildOf` associations become
 * broader/narrower links. Pure; the result still goes through validateFramework.
 */
import { RegistryError } from '../errors.ts';
import type { SkillFramework, SkillItem } from './framework.ts';

type Json = Record<string, unknown>;

function notCase(message: string): never {
  throw new RegistryError('NOT_CASE', `not a CASE 1.1 package: ${message}`);
}

function nodeRef(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const ref = value as Json;
  return typeof ref.uri === 'string' ? ref.uri : typeof ref.identifier === 'string' ? ref.identifier : undefined;
}

export function importCasePackage(value: unknown): SkillFramework {
  if (!value || typeof value !== 'object' || Array.isArray(value)) notCase('expected a JSON object');
  const pkg = value as Json;
  const doc = pkg.CFDocument as Json | undefined;
  if (!doc || typeof doc !== 'object') notCase('CFDocument is missing');
  if (!Array.isArray(pkg.CFItems)) notCase('CFItems is missing');
  const docUri =
    typeof doc.uri === 'string'
      ? doc.uri
      : typeof doc.identifier === 'string'
        ? doc.identifier
        : notCase('CFDocument has no uri');
  const items = new Map<string, SkillItem>();
  const byIdentifier = new Map<string, string>();
  for (const [i, raw] of (pkg.CFItems as unknown[]).entries()) {
    const item = raw as Json;
    const id = typeof item?.uri === 'string' ? item.uri : undefined;
    if (!id || typeof item.fullStatement !== 'string') notCase(`CFItems[${i}] needs uri and fullStatement`);
    const name =
      typeof item.abbreviatedStatement === 'string' && item.abbreviatedStatement
        ? item.abbreviatedStatement
        : item.fullStatement;
    items.set(id, {
      id,
      name,
      ...(typeof item.humanCodingScheme === 'string' ? { code: item.humanCodingScheme } : {}),
      ...(name !== item.fullStatement ? { description: item.fullStatement } : {}),
    });
    if (typeof item.identifier === 'string') byIdentifier.set(item.identifier, id);
  }
  const resolve = (ref: unknown) => {
    const key = nodeRef(ref);
    return key === undefined ? undefined : items.has(key) ? key : byIdentifier.get(key);
  };
  for (const raw of Array.isArray(pkg.CFAssociations) ? (pkg.CFAssociations as Json[]) : []) {
    if (raw?.associationType !== 'isChildOf') continue;
    const child = resolve(raw.originNodeURI);
    const parent = resolve(raw.destinationNodeURI);
    // A child of the document itself is a top-level item: nothing to link.
    if (!child || !parent) continue;
    const c = items.get(child)!;
    const p = items.get(parent)!;
    c.broader = [...new Set([...(c.broader ?? []), parent])];
    p.narrower = [...new Set([...(p.narrower ?? []), child])];
  }
  return {
    id: docUri,
    name: typeof doc.title === 'string' ? doc.title : notCase('CFDocument has no title'),
    version:
      typeof doc.version === 'string'
        ? doc.version
        : typeof doc.lastChangeDateTime === 'string'
          ? doc.lastChangeDateTime
          : '1',
    ...(typeof doc.creator === 'string' ? { publisher: doc.creator } : {}),
    items: [...items.values()],
  };
}
