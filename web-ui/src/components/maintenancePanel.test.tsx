import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MaintenanceWindow } from '../api/maintenance';
import { coveringWindow, maintenanceLine } from '../lib/maintenance';
import { providerAdmin, stubApi } from '../test/api';
import { renderWithProviders } from '../test/render';
import { MaintenancePanel } from './MaintenancePanel';

afterEach(() => vi.unstubAllGlobals());

const active: MaintenanceWindow = {
  id: 'w-nas',
  groupId: 'g-city',
  groupName: 'City Group',
  practiceId: 'p-oak',
  practiceName: 'Oak Surgery',
  startsAt: '2026-11-30T13:00:00Z',
  endsAt: '2026-11-30T17:30:00Z',
  plannedEndsAt: '2026-11-30T17:30:00Z',
  reason: 'Replacing the NAS',
  state: 'ACTIVE',
  createdBy: 'tom',
  createdAt: '2026-11-30T12:55:00Z',
  endedEarlyAt: null,
  endedEarlyBy: null,
  cancelledAt: null,
  cancelledBy: null,
};
const upcoming: MaintenanceWindow = {
  ...active,
  id: 'w-move',
  practiceId: null,
  practiceName: null,
  startsAt: '2026-12-05T18:00:00Z',
  endsAt: '2026-12-06T08:00:00Z',
  plannedEndsAt: '2026-12-06T08:00:00Z',
  reason: 'Moving the server room',
  state: 'UPCOMING',
};

const refusal = () =>
  new Response(
    JSON.stringify({
      title: 'Bad Request',
      status: 400,
      detail: 'The maintenance window was not scheduled: endsAt at most 14 days after the start',
      errors: [{ field: 'endsAt', message: 'at most 14 days after the start; this window would last 15 d' }],
    }),
    { status: 400, headers: { 'Content-Type': 'application/problem+json' } },
  );

describe('the maintenance panel', () => {
  it('lists the active and upcoming windows, ends one early and cancels one that has not started', async () => {
    const api = stubApi(
      (_url, init) =>
        Response.json(init.method && init.method !== 'GET' ? { ...active, state: 'ENDED' } : [active, upcoming]),
      { me: providerAdmin },
    );
    renderWithProviders(<MaintenancePanel target={{ practiceId: 'p-oak' }} mayEdit />);
    const rows = await screen.findAllByTestId('maintenance-window');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText('Active')).toBeTruthy();
    expect(within(rows[0]!).getByText('Replacing the NAS')).toBeTruthy();
    expect(within(rows[1]!).getByText('Every practice of City Group')).toBeTruthy();

    fireEvent.click(within(rows[0]!).getByRole('button', { name: 'End now' }));
    fireEvent.click(within(rows[1]!).getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(api.calls().map(([url, init]) => `${init.method ?? 'GET'} ${url}`)).toEqual(
        expect.arrayContaining([
          'GET /api/maintenance-windows?state=current&practiceId=p-oak',
          'POST /api/maintenance-windows/w-nas/end',
          'DELETE /api/maintenance-windows/w-move',
        ]),
      ),
    );
  });

  it('schedules a window, showing the server’s refusal under the field and keeping what was typed', async () => {
    let posts = 0;
    const api = stubApi(
      (_url, init) => {
        if (init.method === 'POST') return posts++ === 0 ? refusal() : Response.json(active, { status: 201 });
        return Response.json([]);
      },
      { me: providerAdmin },
    );
    renderWithProviders(<MaintenancePanel target={{ groupId: 'g-city' }} mayEdit />);
    expect(await screen.findByText('No maintenance window is active or planned.')).toBeTruthy();

    fireEvent.change(screen.getByLabelText(/^Ends/), { target: { value: '2026-12-20T18:00' } });
    fireEvent.change(screen.getByLabelText(/^Why/), { target: { value: 'Replacing the NAS' } });
    fireEvent.click(screen.getByRole('button', { name: 'Schedule maintenance' }));
    expect(await screen.findByText('at most 14 days after the start; this window would last 15 d')).toBeTruthy();
    expect((screen.getByLabelText(/^Why/) as HTMLTextAreaElement).value).toBe('Replacing the NAS');

    fireEvent.change(screen.getByLabelText(/^Ends/), { target: { value: '2026-12-01T18:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Schedule maintenance' }));
    await waitFor(() => expect((screen.getByLabelText(/^Why/) as HTMLTextAreaElement).value).toBe(''));
    const sent = api
      .calls()
      .filter(([, init]) => init.method === 'POST')
      .map(([, init]) => JSON.parse(String(init.body)));
    expect(sent[1]).toEqual({
      groupId: 'g-city',
      endsAt: new Date('2026-12-01T18:00').toISOString(),
      reason: 'Replacing the NAS',
    });
  });

  it('shows a practice manager the windows without any change to make', async () => {
    stubApi(() => Response.json([active]));
    renderWithProviders(<MaintenancePanel target={{ practiceId: 'p-oak' }} mayEdit={false} />);
    expect(await screen.findByText('Replacing the NAS')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'End now' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Schedule maintenance' })).toBeNull();
  });
});

describe('what the fleet says of a practice in maintenance', () => {
  it('names the end and the reason, and picks the covering window that ends last', () => {
    const now = Date.parse('2026-11-30T14:00:00Z');
    const groupLater = {
      ...active,
      id: 'w-group',
      practiceId: null,
      endsAt: '2026-11-30T19:00:00Z',
      reason: 'Moving the server room',
    };
    expect(coveringWindow([active, groupLater], { id: 'p-oak', groupId: 'g-city' })?.id).toBe('w-group');
    expect(coveringWindow([active], { id: 'p-elm', groupId: 'g-city' })).toBeNull();
    expect(coveringWindow([upcoming], { id: 'p-elm', groupId: 'g-city' })).toBeNull();
    const line = maintenanceLine(active, now);
    expect(line).toMatch(/^In maintenance until \d\d:\d\d [A-Z][A-Za-z0-9+:-]* \(Replacing the NAS\)$/);
  });
});
