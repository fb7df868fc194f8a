/**
 * Sample skill frameworks and crosswalks for the demo, written for this
 * project (fictional publishers; not copies of any published framework).
 */
import type { Crosswalk } from '../registry/skills/crosswalk.ts';
import type { SkillFramework } from '../registry/skills/framework.ts';

type Row = [code: string, name: string, description: string, broader?: string];

function framework(id: string, name: string, version: string, rows: Row[]): SkillFramework {
  const idOf = (code: string) => `${id}/${code}`;
  return {
    id,
    name,
    version,
    items: rows.map(([code, itemName, description, broader]) => ({
      id: idOf(code),
      code,
      name: itemName,
      description,
      ...(broader ? { broader: [idOf(broader)] } : {}),
    })),
  };
}

export const CYBER = framework('https://skills.example/harbor-cyber', 'Harbor Cyber Skills', '1.0', [
  ['CY-PR', 'Protect', 'Keep systems and data safe before incidents happen.'],
  ['CY-PR-1', 'Network defense', 'Configure firewalls, segmentation and secure remote access.', 'CY-PR'],
  [
    'CY-PR-2',
    'Endpoint hardening',
    'Apply baselines, patches and least privilege on workstations and servers.',
    'CY-PR',
  ],
  [
    'CY-PR-3',
    'Identity and access management',
    'Manage accounts, multi-factor authentication and access reviews.',
    'CY-PR',
  ],
  [
    'CY-PR-4',
    'Secure configuration of cloud services',
    'Review and correct cloud storage, identity and network settings.',
    'CY-PR',
  ],
  [
    'CY-PR-5',
    'Security awareness',
    'Explain phishing, social engineering and safe data handling to colleagues.',
    'CY-PR',
  ],
  ['CY-DE', 'Detect', 'Notice malicious activity quickly.'],
  ['CY-DE-1', 'Log analysis', 'Read system, network and application logs to find anomalies.', 'CY-DE'],
  [
    'CY-DE-2',
    'Alert monitoring',
    'Watch a security information and event management console and tune noisy rules.',
    'CY-DE',
  ],
  [
    'CY-DE-3',
    'Threat intelligence use',
    'Apply indicators and adversary techniques to hunting and detection.',
    'CY-DE',
  ],
  ['CY-DE-4', 'Vulnerability scanning', 'Run scanners, read findings and rank them by risk.', 'CY-DE'],
  ['CY-IR', 'Respond', 'Contain and recover from incidents.'],
  ['CY-IR-1', 'Incident triage', 'Triage security alerts, decide severity and escalate incidents.', 'CY-IR'],
  ['CY-IR-2', 'Containment', 'Isolate affected hosts and accounts without destroying evidence.', 'CY-IR'],
  ['CY-IR-3', 'Digital forensics basics', 'Collect and preserve disk, memory and log evidence.', 'CY-IR'],
  ['CY-IR-4', 'Malware analysis basics', 'Examine suspicious files safely in a sandbox.', 'CY-IR'],
  ['CY-IR-5', 'Incident reporting', 'Write timelines and reports for managers and regulators.', 'CY-IR'],
  ['CY-IR-6', 'Recovery and lessons learned', 'Restore services and improve controls after an incident.', 'CY-IR'],
  ['CY-GV', 'Govern', 'Run security as a managed practice.'],
  ['CY-GV-1', 'Risk assessment', 'Identify assets, threats and likelihood to rank risks.', 'CY-GV'],
  ['CY-GV-2', 'Policy writing', 'Draft security policies and standards people can follow.', 'CY-GV'],
  ['CY-GV-3', 'Compliance mapping', 'Map controls to regulations and audit requirements.', 'CY-GV'],
  ['CY-GV-4', 'Vendor security review', 'Assess the security of suppliers and their services.', 'CY-GV'],
  ['CY-GV-5', 'Scripting for automation', 'Automate security tasks with shell or Python scripts.', 'CY-GV'],
]);

export const BLUEWAVE = framework('https://skills.example/bluewave-roles', 'Bluewave Systems Role Skills', '3', [
  ['SOC-1', 'SOC analyst: alert handling', 'First-line handling of security alerts in the operations center.'],
  ['SOC-2', 'SOC analyst: investigation', 'Investigate escalated alerts using logs and endpoint data.'],
  ['NET-1', 'Network security operations', 'Operate and change firewall and VPN configurations.'],
  ['IAM-1', 'Access administration', 'Provision accounts and run access reviews.'],
  ['GRC-1', 'Security risk and compliance', 'Assess risks and prepare for audits.'],
  ['AUTO-1', 'Security automation', 'Script repetitive security tasks.'],
]);

export const NURSING = framework(
  'https://skills.example/tri-county-nursing',
  'Tri-County Nursing Practice Skills',
  '2.1',
  [
    ['NP-AS', 'Assessment', 'Gather and interpret patient information.'],
    [
      'NP-AS-1',
      'Vital signs',
      'Measure and interpret temperature, pulse, respiration, blood pressure and oxygen saturation.',
      'NP-AS',
    ],
    ['NP-AS-2', 'Head-to-toe assessment', 'Perform a systematic physical assessment.', 'NP-AS'],
    ['NP-AS-3', 'Pain assessment', 'Assess pain with validated scales and reassess after treatment.', 'NP-AS'],
    ['NP-AS-4', 'Fall risk screening', 'Screen patients for fall risk and put precautions in place.', 'NP-AS'],
    ['NP-AS-5', 'Deterioration recognition', 'Recognize early warning signs and escalate.', 'NP-AS'],
    ['NP-TX', 'Treatment', 'Deliver safe interventions.'],
    ['NP-TX-1', 'Medication administration', 'Give medications safely with the rights of administration.', 'NP-TX'],
    ['NP-TX-2', 'IV therapy', 'Start, maintain and discontinue peripheral IV lines.', 'NP-TX'],
    ['NP-TX-3', 'Wound care', 'Assess, clean and dress acute and chronic wounds.', 'NP-TX'],
    ['NP-TX-4', 'Infection prevention', 'Apply standard and transmission-based precautions.', 'NP-TX'],
    ['NP-TX-5', 'Basic life support', 'Perform CPR and use an automated external defibrillator.', 'NP-TX'],
    ['NP-TX-6', 'Catheter care', 'Insert and maintain urinary catheters aseptically.', 'NP-TX'],
    ['NP-CM', 'Communication', 'Share information safely.'],
    ['NP-CM-1', 'Handoff reporting', 'Give structured shift handoffs.', 'NP-CM'],
    ['NP-CM-2', 'Patient education', 'Teach patients and families about care and medications.', 'NP-CM'],
    ['NP-CM-3', 'Documentation', 'Chart assessments and interventions accurately and on time.', 'NP-CM'],
    [
      'NP-CM-4',
      'Interprofessional collaboration',
      'Work with physicians, therapists and pharmacists on care plans.',
      'NP-CM',
    ],
    ['NP-PR', 'Professional practice', 'Practice within legal and ethical limits.'],
    ['NP-PR-1', 'Scope of practice', 'Act within the scope of the nursing license.', 'NP-PR'],
    ['NP-PR-2', 'Ethics and privacy', 'Protect patient dignity and health information.', 'NP-PR'],
    ['NP-PR-3', 'Delegation', 'Delegate tasks appropriately to assistive personnel.', 'NP-PR'],
    ['NP-PR-4', 'Care coordination', 'Plan discharges and transitions of care.', 'NP-PR'],
    ['NP-PR-5', 'Quality improvement', 'Take part in audits and safety improvement work.', 'NP-PR'],
  ],
);

export const HOSPITAL = framework(
  'https://skills.example/st-brigid-competencies',
  'St. Brigid Clinical Competencies',
  '1',
  [
    ['C-01', 'Wound management', 'Manages wounds per hospital protocol.'],
    ['C-02', 'Vascular access', 'Places and cares for peripheral IVs.'],
    ['C-03', 'Medication safety', 'Administers medications per hospital policy.'],
    ['C-04', 'Resuscitation', 'Current basic life support.'],
  ],
);

export const RETAIL = framework(
  'https://skills.example/lakeside-retail-management',
  'Lakeside Retail Management Skills',
  '1.2',
  [
    ['RM-OP', 'Store operations', 'Run a store day to day.'],
    ['RM-OP-1', 'Inventory planning', 'Plan stock levels for seasonal demand and promotions.', 'RM-OP'],
    ['RM-OP-2', 'Shrink control', 'Reduce loss from theft, damage and process errors.', 'RM-OP'],
    ['RM-OP-3', 'Visual merchandising', 'Lay out displays that follow planograms and sell.', 'RM-OP'],
    ['RM-OP-4', 'Opening and closing procedures', 'Run cash, security and safety checks at open and close.', 'RM-OP'],
    ['RM-OP-5', 'Vendor relations', 'Work with suppliers on deliveries and issues.', 'RM-OP'],
    ['RM-FI', 'Store finance', 'Manage the numbers.'],
    ['RM-FI-1', 'Budgeting', 'Build and track a store budget.', 'RM-FI'],
    ['RM-FI-2', 'Reading a P&L', 'Interpret profit and loss statements and act on them.', 'RM-FI'],
    ['RM-FI-3', 'Labor cost control', 'Match staffing hours to sales forecasts.', 'RM-FI'],
    ['RM-FI-4', 'Sales forecasting', 'Forecast sales from history, events and trends.', 'RM-FI'],
    ['RM-PE', 'People leadership', 'Lead a team.'],
    ['RM-PE-1', 'Team scheduling', 'Build fair schedules that cover demand.', 'RM-PE'],
    ['RM-PE-2', 'Coaching', 'Give feedback and develop associates.', 'RM-PE'],
    ['RM-PE-3', 'Hiring and onboarding', 'Interview, hire and onboard associates.', 'RM-PE'],
    ['RM-PE-4', 'Conflict resolution', 'Resolve disagreements among staff and with customers.', 'RM-PE'],
    ['RM-PE-5', 'Leading through peak season', 'Keep a team effective through seasonal peaks.', 'RM-PE'],
    ['RM-CX', 'Customer experience', 'Serve customers well.'],
    ['RM-CX-1', 'Service recovery', 'Turn complaints into resolutions.', 'RM-CX'],
    ['RM-CX-2', 'Customer feedback analysis', 'Read survey results and act on them.', 'RM-CX'],
    ['RM-CX-3', 'Omnichannel fulfillment', 'Run buy-online-pick-up-in-store and returns.', 'RM-CX'],
    ['RM-CX-4', 'Accessibility in service', 'Serve customers with disabilities well.', 'RM-CX'],
    ['RM-CO', 'Compliance and safety', 'Keep the store lawful and safe.'],
    ['RM-CO-1', 'Workplace safety', 'Run safety walks and fix hazards.', 'RM-CO'],
  ],
);

export const NORTHWIND = framework(
  'https://skills.example/northwind-leadership',
  'Northwind Store Leadership Competencies',
  '5',
  [
    ['L1', 'Runs the floor', 'Keeps the store running and stocked.'],
    ['L2', 'Owns the numbers', 'Hits budget and labor targets.'],
    ['L3', 'Builds the team', 'Hires, schedules and coaches associates.'],
  ],
);

const map = (id: string, pairs: Array<[string, string, Crosswalk['mappings'][number]['relation']]>): Crosswalk => ({
  id,
  mappings: pairs.map(([source, target, relation]) => ({ source, target, relation })),
});

export const CROSSWALKS: Crosswalk[] = [
  map('harbor-cyber-to-bluewave', [
    [`${CYBER.id}/CY-IR-1`, `${BLUEWAVE.id}/SOC-1`, 'closeMatch'],
    [`${CYBER.id}/CY-DE-2`, `${BLUEWAVE.id}/SOC-1`, 'closeMatch'],
    [`${CYBER.id}/CY-DE-1`, `${BLUEWAVE.id}/SOC-2`, 'closeMatch'],
    [`${CYBER.id}/CY-PR-1`, `${BLUEWAVE.id}/NET-1`, 'exactMatch'],
    [`${CYBER.id}/CY-PR-3`, `${BLUEWAVE.id}/IAM-1`, 'exactMatch'],
    [`${CYBER.id}/CY-GV-1`, `${BLUEWAVE.id}/GRC-1`, 'narrowMatch'],
    [`${CYBER.id}/CY-GV-5`, `${BLUEWAVE.id}/AUTO-1`, 'exactMatch'],
  ]),
  map('tri-county-nursing-to-st-brigid', [
    [`${NURSING.id}/NP-TX-3`, `${HOSPITAL.id}/C-01`, 'exactMatch'],
    [`${NURSING.id}/NP-TX-2`, `${HOSPITAL.id}/C-02`, 'exactMatch'],
    [`${NURSING.id}/NP-TX-1`, `${HOSPITAL.id}/C-03`, 'closeMatch'],
    [`${NURSING.id}/NP-TX-5`, `${HOSPITAL.id}/C-04`, 'exactMatch'],
  ]),
  map('lakeside-retail-to-northwind', [
    [`${RETAIL.id}/RM-OP`, `${NORTHWIND.id}/L1`, 'closeMatch'],
    [`${RETAIL.id}/RM-FI-1`, `${NORTHWIND.id}/L2`, 'narrowMatch'],
    [`${RETAIL.id}/RM-PE-1`, `${NORTHWIND.id}/L3`, 'narrowMatch'],
  ]),
];
