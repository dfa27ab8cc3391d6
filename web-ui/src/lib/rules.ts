/** The policy's rules in the order of its table (DESIGN.md), with the words people know them by. */
export const RULES: readonly { id: string; title: string }[] = [
  { id: 'db-sync', title: 'Database copy to the secondary server' },
  { id: 'cloud-copy', title: 'Nightly cloud copy' },
  { id: 'nas-copy', title: 'Daily copy on the NAS' },
  { id: 'usb-rotation', title: 'Rotated USB drives' },
  { id: 'system-image', title: 'Daily image of the server' },
  { id: 'archive-retention', title: 'Three-year archive' },
  { id: 'restore-test', title: 'Restore test' },
  { id: 'ups', title: 'Uninterruptible power supply' },
  { id: 'plan-review', title: 'Backup plan review' },
  { id: 'contacts', title: 'Contacts for failure emails' },
  { id: 'agent-heartbeat', title: 'Rampart agent' },
];

const TITLES = new Map(RULES.map((rule) => [rule.id, rule.title]));

/** The rule's title, or its id for a rule this UI does not know yet. */
export function ruleTitle(ruleId: string): string {
  return TITLES.get(ruleId) ?? ruleId;
}
