import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { ApiError } from './api/client';
import { Layout } from './components/Layout';
import { FleetPage } from './pages/FleetPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { PracticePage } from './pages/PracticePage';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not change by asking again; network errors and 5xx get two more tries.
        retry: (failures, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
        staleTime: 5_000,
      },
    },
  });
}

/** The routes, inside whichever router the caller provides (BrowserRouter in main.tsx). */
export function AppRoutes() {
  return (
    <Layout>
      <Routes>
        <Route path="/" element={<FleetPage />} />
        <Route path="/practices/:id" element={<PracticePage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Layout>
  );
}

export function Providers({
  client,
  children,
}: {
  client: QueryClient;
  children: ReactNode;
}) {
  return (
    <MantineProvider>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}
