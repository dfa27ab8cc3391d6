import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ComponentType, lazy, type ReactNode, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { ApiError } from './api/client';
import { AuthCallbackPage } from './auth/AuthCallbackPage';
import { RequireAuth } from './auth/RequireAuth';
import { CALLBACK_PATH } from './auth/userManager';
import { Layout } from './components/Layout';
import { LoadingState } from './components/QueryStates';
import { useMe } from './auth/me';
import { cssVariablesResolver, theme } from './theme';

/**
 * Each page is its own chunk, loaded when its route is first visited (one bundle of every page
 * was over Vite's 500 kB warning; the report's charts alone are most of that).
 */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}

const AlertsPage = page(() => import('./pages/AlertsPage'), 'AlertsPage');
const AuditPage = page(() => import('./pages/AuditPage'), 'AuditPage');
const ChecksPage = page(() => import('./pages/ChecksPage'), 'ChecksPage');
const FleetPage = page(() => import('./pages/FleetPage'), 'FleetPage');
const GroupPage = page(() => import('./pages/GroupPage'), 'GroupPage');
const NotFoundPage = page(() => import('./pages/NotFoundPage'), 'NotFoundPage');
const NotificationsPage = page(() => import('./pages/NotificationsPage'), 'NotificationsPage');
const PeoplePage = page(() => import('./pages/PeoplePage'), 'PeoplePage');
const PolicyPage = page(() => import('./pages/PolicyPage'), 'PolicyPage');
const PracticePage = page(() => import('./pages/PracticePage'), 'PracticePage');
const ProvidersPage = page(() => import('./pages/ProvidersPage'), 'ProvidersPage');
const ReportPage = page(() => import('./pages/ReportPage'), 'ReportPage');
const TenancyPage = page(() => import('./pages/TenancyPage'), 'TenancyPage');

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
      <Suspense fallback={<LoadingState label="Loading the page…" />}>
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
      </Suspense>
    </Layout>
  );
}

/** "/": the fleet, or for a platform operator (who sees no tenant data) the providers. */
function HomeRoute() {
  const me = useMe();
  if (me.isPending) return <LoadingState label="Loading…" />;
  if (me.data?.role === 'platform-operator') return <Navigate to="/providers" replace />;
  return <FleetPage />;
}

export function Providers({ client, children }: { client: QueryClient; children: ReactNode }) {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}
