/**
 * Renders a framework as a CASE 1.1 CFPackage (the shape of the CASE read API's
 * GET /ims/case/v1p1/CFPackages/{sourcedId}), so CASE tools can read what a
 * node holds. Pure.
 */
import type { SkillFramework } from './framework.ts';

export function toCasePackage(framework: SkillFramework & { publisher?: string }, now: string) {
  return {
    CFDocument: {
      identifier: framework.id,
      uri: framework.id,
      title: framework.name,
      version: framework.version,
      ...(framework.publisher ? { creator: framework.publisher } : {}),
      lastChangeDateTime: now,
    },
    CFItems: framework.items.map((item) => ({
      identifier: item.id,
      uri: item.id,
      fullStatement: item.description ?? item.name,
      ...(item.description ? { abbreviatedStatement: item.name } : {}),
      ...(item.code ? { humanCodingScheme: item.code } : {}),
      lastChangeDateTime: now,
    })),
    CFAssociations: framework.items.flatMap((item) => {
      const parents = item.broader?.length ? item.broader : [framework.id];
      return parents.map((parent) => ({
        identifier: `${item.id}#isChildOf#${parent}`,
        uri: `${item.id}#isChildOf#${parent}`,
        associationType: 'isChildOf',
        originNodeURI: { title: item.name, identifier: item.id, uri: item.id },
        destinationNodeURI: { title: parent, identifier: parent, uri: parent },
        lastChangeDateTime: now,
      }));
    }),
  };
}
