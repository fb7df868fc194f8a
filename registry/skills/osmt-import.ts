/**
 * Imports an Open Skills Network collection as exported by OSMT (Rich Skill
 * Descriptors: id URL, uuid, skillName, skillStatement, keywords) into the
 * internal framework model. Pure; the result still goes through validateFramework.
 */
import { RegistryError } from '../errors.ts';
import type { SkillFramework } from './framework.ts';

type Json = Record<string, unknown>;

function notOsmt(message: string): never {
  throw new RegistryError('NOT_OSMT', `not an OSMT collection export: ${message}`);
}

export function importOsmtCollection(value: unknown): SkillFramework {
  if (!value || typeof value !== 'object' || Array.isArray(value)) notOsmt('expected a JSON object');
  const collection = value as Json;
  if (!Array.isArray(collection.skills)) notOsmt('skills is missing');
  const id =
    typeof collection.id === 'string'
      ? collection.id
      : typeof collection.uuid === 'string'
        ? `urn:uuid:${collection.uuid}`
        : notOsmt('no id or uuid');
  const name = typeof collection.name === 'string' ? collection.name : notOsmt('no name');
  const items = (collection.skills as Json[]).map((skill, i) => {
    const skillId =
      typeof skill?.id === 'string'
        ? skill.id
        : typeof skill?.uuid === 'string'
          ? `urn:uuid:${skill.uuid}`
          : notOsmt(`skills[${i}] has no id`);
    if (typeof skill.skillName !== 'string') notOsmt(`skills[${i}] has no skillName`);
    return {
      id: skillId,
      name: skill.skillName,
      ...(typeof skill.skillStatement === 'string' ? { description: skill.skillStatement } : {}),
    };
  });
  return {
    id,
    name,
    version:
      typeof collection.publishDate === 'string'
        ? collection.publishDate
        : typeof collection.version === 'string'
          ? collection.version
          : '1',
    ...(typeof collection.author === 'string' ? { publisher: collection.author } : {}),
    items,
  };
}
