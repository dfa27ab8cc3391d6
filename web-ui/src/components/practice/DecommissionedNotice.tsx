import { Alert } from '@mantine/core';
import { decommissionedLine, RETENTION_YEARS } from '../../lib/tenancy';

/** A decommissioned practice's page is kept so its history can be read: say so, and who did it when. */
export function DecommissionedNotice({ practice }: { practice: Parameters<typeof decommissionedLine>[0] }) {
  const line = decommissionedLine(practice);
  if (!line) return null;
  return (
    <Alert color="gray" title={line} data-testid="decommissioned-notice">
      This practice has left the fleet: its agents were revoked and its alerts closed. What it reported is kept here,
      read-only, for {RETENTION_YEARS} years.
    </Alert>
  );
}
