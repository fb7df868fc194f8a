/** A realistic ~2 KB Open Badges 3.0 AchievementCredential for benchmarks. */
export function benchCredential(): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Retail Operations Management Certificate',
    description: 'Awarded for completing the retail operations management pathway with distinction.',
    credentialSubject: {
      id: 'did:example:ebfeb1f712ebc6f1c276e12ec21',
      type: ['AchievementSubject'],
      activityEndDate: '2026-06-01T00:00:00Z',
      achievement: {
        id: 'https://university.example/achievements/retail-ops-300',
        type: ['Achievement'],
        achievementType: 'Certificate',
        name: 'Retail Operations Management',
        description:
          'Plans staffing and inventory for a multi-department store, reads a profit and loss statement, ' +
          'and leads a team through a seasonal peak while meeting service targets.',
        criteria: {
          narrative:
            'Completed four courses (Operations, Finance for Managers, People Leadership, Customer Experience) ' +
            'with a grade of B or better and a supervised capstone project at a partner store.',
        },
        image: { id: 'https://university.example/badges/retail-ops-300.png', type: 'Image' },
        alignment: [
          {
            type: ['Alignment'],
            targetName: 'Inventory planning',
            targetUrl: 'https://skills.example/retail/inventory-planning',
            targetFramework: 'Retail Management Skills',
            targetCode: 'RM-INV-2',
          },
          {
            type: ['Alignment'],
            targetName: 'Team leadership',
            targetUrl: 'https://skills.example/retail/team-leadership',
            targetFramework: 'Retail Management Skills',
            targetCode: 'RM-LEAD-1',
          },
        ],
        creator: {
          id: 'https://university.example/issuers/1',
          type: ['Profile'],
          name: 'Example State University',
        },
      },
    },
  };
}
