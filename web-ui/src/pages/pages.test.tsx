import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../App';
import { problem, sequence, stubApi } from '../test/api';
import { fleetFixture, practiceFixture } from '../test/fixtures';
import { renderWithProviders } from '../test/render';

afterEach(() => vi.unstubAllGlobals());

/** Answers each request but GET /api/me in turn with the next of `responses`. */
function stubFetch(...responses: (() => Response)[]) {
  return stubApi(sequence(...responses));
}

describe('fleet page', () => {
  it('shows the summary and the practices', async () => {
    stubFetch(() => Response.json(fleetFixture));
    renderWithProviders(<AppRoutes />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Fleet' })).toBeTruthy();
    expect(await screen.findByTestId('fleet-summary')).toHaveProperty(
      'textContent',
      '4 practices · 1 failing · 1 at risk · 2 passing',
    );
    expect(screen.getAllByTestId('practice-row')).toHaveLength(4);
    expect(screen.getByRole('main')).toBeTruthy();
  });

  it('shows the empty state', async () => {
    stubFetch(() => Response.json({ generatedAt: '2025-03-01T12:00:00Z', practices: [] }));
    renderWithProviders(<AppRoutes />);
    expect(await screen.findByText(/No practices yet: create an enrolment token/)).toBeTruthy();
  });

  it('shows the error with a retry button that fetches again', async () => {
    const api = stubFetch(problem(503, 'Event log unavailable'), () =>
      Response.json(fleetFixture),
    );
    renderWithProviders(<AppRoutes />);
    expect(await screen.findByText('Event log unavailable')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.getAllByTestId('practice-row')).toHaveLength(4));
    expect(api.calls()).toHaveLength(2);
  });
});

describe('practice page', () => {
  it('shows the practice, its checks, agents and events newest first', async () => {
    stubFetch(() => Response.json(practiceFixture));
    renderWithProviders(<AppRoutes />, { route: '/practices/p-oak' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Oak Street Surgery' })).toBeTruthy();
    expect(screen.getByText('Group: City Group')).toBeTruthy();
    expect(screen.getByRole('link', { name: /Back to fleet/ }).getAttribute('href')).toBe('/');

    const check = screen.getByTestId('check-row');
    expect(check.textContent).toContain('backup-age');
    expect(check.textContent).toContain('ageHours');
    expect(check.textContent).toContain('30');

    expect(screen.getByTestId('agent-row').textContent).toContain('oak-server');
    expect(screen.getAllByTestId('event-row').map((r) => r.textContent)).toEqual([
      expect.stringContaining('Check result'),
      expect.stringContaining('Heartbeat'),
    ]);
  });

  it('says "Practice not found" on 404, with a link back', async () => {
    stubFetch(problem(404, 'No practice nope'));
    renderWithProviders(<AppRoutes />, { route: '/practices/nope' });
    expect(await screen.findByRole('heading', { name: 'Practice not found' })).toBeTruthy();
    expect(screen.getByRole('link', { name: /Back to fleet/ }).getAttribute('href')).toBe('/');
  });
});
