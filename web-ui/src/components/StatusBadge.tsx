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
      // never truncate: "PASSING" must read whole in a narrow table column
      styles={{
        root: { flexShrink: 0, minWidth: 'max-content' },
        label: { overflow: 'visible', textOverflow: 'clip' },
      }}
    >
      {STATUS_LABEL[known]}
    </Badge>
  );
}
