import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { providerAdmin, stubApi } from '../test/api';
import { fleetFixture, practiceFixture } from '../test/fixtures';
import { renderWithProviders } from '../test/render';
import { FleetPage } from '../pages/FleetPage';
import { RevokeAgentDialog } from './RevokeAgentDialog';

afterEach(() => vi.unstubAllGlobals());

const fleetCalls = (calls: readonly (readonly [string, RequestInit])[]) =>
  calls.filter(([url, init]) => url.startsWith('/api/fleet/compliance') && init.method !== 'POST').length;

describe('revoking an agent', () => {
  it('reads the fleet page again, so the fleet does not keep showing the revoked agent', async () => {
    const api = stubApi(
      (url, init) => {
        if (init.method === 'POST') return Response.json({ id: 'a-1', revokedAt: '2025-03-01T12:00:00Z' });
        if (url.startsWith('/api/maintenance-windows')) return Response.json([]);
        return Response.json(fleetFixture);
      },
      { me: providerAdmin },
    );
    const agent = practiceFixture.agents[0]!;
    renderWithProviders(
      <>
        <FleetPage />
        <RevokeAgentDialog agent={agent} practiceId="p-oak" onClose={() => {}} />
      </>,
    );
    expect(await screen.findAllByTestId('practice-row')).toHaveLength(4);
    expect(fleetCalls(api.calls())).toBe(1);

    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: `Revoke ${agent.hostname}` }));

    await waitFor(() => expect(fleetCalls(api.calls())).toBe(2));
  });
});
