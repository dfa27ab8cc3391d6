import { Badge } from '@mantine/core';
import { STATUS_COLOR, STATUS_LABEL, normaliseStatus } from '../lib/status';

/** Colour and text together: the status is never told by colour alone. */
export function StatusBadge({ status }: { status: string | null | undefined }) {
  const known = normaliseStatus(status);
  return (
    <Badge
      color={STATUS_COLOR[known]}
      variant="filled"
      data-testid="status-badge"
      data-status={known}
    >
      {STATUS_LABEL[known]}
    </Badge>
  );
}
