import { Anchor, Container, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

export function Layout({ children }: { children: ReactNode }) {
  return (
    <>
      <header>
        <Container size="xl" py="sm">
          <Group justify="space-between">
            <Anchor component={Link} to="/" underline="never" c="inherit">
              <Text fw={700} size="xl">
                Rampart
              </Text>
            </Anchor>
            <Text size="sm" c="dimmed">
              Backup assurance
            </Text>
          </Group>
        </Container>
      </header>
      <Container component="main" size="xl" pb="xl">
        {children}
      </Container>
    </>
  );
}
