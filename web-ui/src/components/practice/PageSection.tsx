import { Group, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A titled part of the page, with the action that adds to it (for those who may) beside the title. */
export function PageSection({
  id,
  title,
  action,
  children,
}: {
  id: string;
  title: string;
  action?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id}>
      <Group justify="space-between" align="center" mb="xs">
        <Title order={2} id={id}>
          {title}
        </Title>
        {action}
      </Group>
      {children}
    </section>
  );
}
