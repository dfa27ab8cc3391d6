import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../App';
import type { GroupNotificationSettings, Me, ProviderNotificationSettings } from '../api/types';
import { providerAdmin, stubApi } from '../test/api';
import { renderWithProviders } from '../test/render';

afterEach(() => vi.unstubAllGlobals());

const provider: ProviderNotificationSettings = {
  onCallEmail: 'oncall@northwind.example',
  escalateAfter: 'PT2H',
  digestEmail: null,
  timeZone: 'Europe/London',
  digestTime: '07:00',
};
const group: GroupNotificationSettings = {
  alertOnAtRisk: false,
  quietHours: { from: '20:00', to: '07:00' },
  criticalRules: ['nas-copy', 'ups'],
  timeZone: 'Europe/London',
  digestTime: '07:30',
};
const groupManager: Me = {
  ...providerAdmin,
  username: 'grace',
  name: 'Grace',
  role: 'group-manager',
  groupId: 'g-coast',
};

function stub(me: Me) {
  return stubApi(
    (url, init) => {
      if (url === '/api/groups') return Response.json([{ id: 'g-coast', providerId: 'prov-1', name: 'Coast Group' }]);
      const body = init.body ? JSON.parse(String(init.body)) : null;
      if (url === '/api/notification-settings') {
        if (init.method !== 'PUT') return Response.json(provider);
        return body.escalateAfter === '2 hours'
          ? Response.json(
              {
                status: 400,
                detail: 'The notification settings are invalid; nothing was changed',
                errors: [{ field: 'escalateAfter', message: 'a duration between PT5M and P7D, e.g. PT2H' }],
              },
              { status: 400 },
            )
          : Response.json({ ...body, updatedBy: 'alice', updatedAt: '2026-11-26T12:00:00Z' });
      }
      if (init.method === 'PUT' && body.groupWindow === 'PT1H') {
        return Response.json(
          {
            status: 400,
            detail: 'The notification settings are invalid; nothing was changed',
            errors: [
              {
                field: 'groupWindow',
                message: 'a duration from PT0S (each alert its own email) to PT15M, e.g. PT5M; PT1H is not',
              },
            ],
          },
          { status: 400 },
        );
      }
      return init.method === 'PUT'
        ? Response.json({ ...body, updatedBy: me.username, updatedAt: '2026-11-26T12:00:00Z' })
        : Response.json(group);
    },
    { me },
  );
}

describe('notifications page', () => {
  it('shows a refused escalation delay under its field, then saves', async () => {
    const api = stub(providerAdmin);
    renderWithProviders(<AppRoutes />, { route: '/notifications' });
    const section = (await screen.findByText('Your provider: escalation and digest')).closest('section')!;
    fireEvent.change(within(section).getByLabelText('Escalate after'), { target: { value: '2 hours' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Save' }));
    expect(await within(section).findByText('a duration between PT5M and P7D, e.g. PT2H')).toBeTruthy();
    fireEvent.change(within(section).getByLabelText('Escalate after'), { target: { value: 'PT1H' } });
    fireEvent.change(within(section).getByLabelText('Daily digest to'), {
      target: { value: 'desk@northwind.example' },
    });
    fireEvent.click(within(section).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(
        within(screen.getByText('Your provider: escalation and digest').closest('section')!).getByRole('status'),
      ).toBeTruthy(),
    );
    const puts = api.calls().filter(([url, init]) => url === '/api/notification-settings' && init.method === 'PUT');
    expect(JSON.parse(String(puts[1]![1].body))).toMatchObject({
      onCallEmail: 'oncall@northwind.example',
      escalateAfter: 'PT1H',
      digestEmail: 'desk@northwind.example',
    });
  });

  it("lets a group manager set their group's quiet hours and critical rules, and shows them no provider settings", async () => {
    const api = stub(groupManager);
    renderWithProviders(<AppRoutes />, { route: '/notifications' });
    const form = await screen.findByRole('form', { name: 'Group notification settings' });
    expect(screen.queryByText('Your provider: escalation and digest')).toBeNull();
    fireEvent.click(within(form).getByLabelText('Restore test'));
    fireEvent.click(within(form).getByLabelText('Email when a rule is at risk, before it fails'));
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.calls().some(([, init]) => init.method === 'PUT')).toBe(true));
    const put = api.calls().find(([, init]) => init.method === 'PUT')!;
    expect(put[0]).toBe('/api/groups/g-coast/notification-settings');
    expect(JSON.parse(String(put[1].body))).toEqual({
      alertOnAtRisk: true,
      quietHours: { from: '20:00', to: '07:00' },
      criticalRules: ['nas-copy', 'ups', 'restore-test'],
      timeZone: 'Europe/London',
      digestTime: '07:30',
    });
  });

  it('shows a refused incident window under its field, then saves the one corrected', async () => {
    const api = stub(groupManager);
    renderWithProviders(<AppRoutes />, { route: '/notifications' });
    const form = await screen.findByRole('form', { name: 'Group notification settings' });
    fireEvent.change(within(form).getByLabelText('One email per incident within'), { target: { value: 'PT1H' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(
      await within(form).findByText('a duration from PT0S (each alert its own email) to PT15M, e.g. PT5M; PT1H is not'),
    ).toBeTruthy();
    fireEvent.change(within(form).getByLabelText('One email per incident within'), { target: { value: 'PT10M' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(within(form).getByRole('status')).toBeTruthy());
    const puts = api.calls().filter(([, init]) => init.method === 'PUT');
    expect(JSON.parse(String(puts[1]![1].body))).toMatchObject({ groupWindow: 'PT10M' });
  });
});
