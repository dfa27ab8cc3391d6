import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { ApiError } from './api/client';
import { AuthCallbackPage } from './auth/AuthCallbackPage';
import { RequireAuth } from './auth/RequireAuth';
import { CALLBACK_PATH } from './auth/userManager';
import { Layout } from './components/Layout';
import { AlertsPage } from './pages/AlertsPage';
import { AuditPage } from './pages/AuditPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { PolicyPage } from './pages/PolicyPage';
import { ChecksPage } from './pages/ChecksPage';
import { ReportPage } from './pages/ReportPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { PracticePage } from './pages/PracticePage';
import { PeoplePage } from './pages/PeoplePage';
import { HomeRoute, ProvidersPage } from './pages/ProvidersPage';
import { TenancyPage } from './pages/TenancyPage';
import { GroupPage } from './pages/GroupPage';

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

/**
 * The routes, inside whichever router the caller provides (BrowserRouter in main.tsx) and an
 * AuthProvider (AuthBootstrap in main.tsx). Everything but the sign-in callback needs sign-in.
 */
export function AppRoutes() {
  return (
    <Layout>
      <Routes>
        <Route path={CALLBACK_PATH} element={<AuthCallbackPage />} />
        <Route element={<RequireAuth />}>
          <Route path="/" element={<HomeRoute />} />
          <Route path="/practices/:id" element={<PracticePage />} />
          <Route path="/alerts" element={<AlertsPage />} />
          <Route path="/report" element={<ReportPage />} />
          <Route path="/policy" element={<PolicyPage />} />
          <Route path="/notifications" element={<NotificationsPage />} />
          <Route path="/audit" element={<AuditPage />} />
          <Route path="/people" element={<PeoplePage />} />
          <Route path="/providers" element={<ProvidersPage />} />
          <Route path="/checks" element={<ChecksPage />} />
          <Route path="/admin/groups" element={<TenancyPage />} />
          <Route path="/groups/:id" element={<GroupPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
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
