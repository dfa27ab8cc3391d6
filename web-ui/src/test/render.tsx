import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';
import { AuthProvider } from '../auth/AuthProvider';
import type { UserManagerLike } from '../auth/userManager';
import { cssVariablesResolver, theme } from '../theme';
import { FakeUserManager } from './fakeAuth';

/**
 * Renders with the app's providers, a memory router at `route`, no query retries, and an
 * AuthProvider over `userManager` (by default a fake with someone signed in). Mantine's test
 * environment: no transitions, no portals.
 */
export function renderWithProviders(
  ui: ReactElement,
  { route = '/', userManager = new FakeUserManager() }: { route?: string; userManager?: UserManagerLike } = {},
) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const result = render(
    <MantineProvider env="test" theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[route]}>
          <AuthProvider userManager={userManager}>{ui}</AuthProvider>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { ...result, client, userManager };
}
