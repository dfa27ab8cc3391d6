import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../App';
import type { CheckView, Me } from '../api/types';
import { providerAdmin, stubApi } from '../test/api';
import {
  checkCatalogueFixture,
  practiceChecksFixture,
  practiceComplianceFixture,
  practiceFixture,
  practiceSideCalls,
} from '../test/fixtures';
import { renderWithProviders } from '../test/render';

afterEach(() => vi.unstubAllGlobals());

const technician: Me = { ...providerAdmin, username: 'tom', name: 'Tom', role: 'provider-technician' };

const nasCopy: CheckView = {
  checkId: 'nas-copy',
  kind: 'BACKUP_FOLDER',
  intervalSeconds: 900,
  settings: { maxAge: '93600s', readBack: true },
  servesRule: 'nas-copy',
};

/** The check-set API as it behaves: a saved check is the one read next; a refused one names its field. */
function stubChecksApi(me: Me) {
  let checks: CheckView[] = [nasCopy];
  return stubApi(
    async (url, init) => {
      if (url === '/api/groups') return Response.json([{ id: 'g-coast', providerId: 'prov-1', name: 'Coast Group' }]);
      if (url === '/api/check-templates') return Response.json(checkCatalogueFixture);
      if (init.method === 'PUT' && url === '/api/groups/g-coast/checks/nas-copy') {
        const body = JSON.parse(String(init.body)) as CheckView;
        if (body.intervalSeconds < 60)
          return Response.json(
            {
              title: 'Bad Request',
              status: 400,
              detail: 'The check is not valid; nothing was changed',
              errors: [
                {
                  field: 'intervalSeconds',
                  message: '30 s is out of range: from 60 s (1 minute) to 604800 s (7 days)',
                },
              ],
            },
            { status: 400 },
          );
        checks = [{ ...nasCopy, ...body, servesRule: 'nas-copy' }];
        return Response.json(checks[0]);
      }
      return Response.json(checks);
    },
    { me },
  );
}

describe('checks page', () => {
  it("shows a group's checks in words and saves a change typed in words, a refusal shown under its field", async () => {
    const api = stubChecksApi(providerAdmin);
    renderWithProviders(<AppRoutes />, { route: '/checks' });
    const row = await screen.findByTestId('check-row');
    expect(row.textContent).toContain('every 15 minutes');
    expect(row.textContent).toContain('max age 26 hours, read back');
    expect(row.textContent).toContain('Daily copy on the NAS');

    fireEvent.click(within(row).getByRole('button', { name: 'Change' }));
    expect(screen.getByLabelText('Max age')).toHaveProperty('value', '26 hours');
    fireEvent.change(screen.getByLabelText('How often'), { target: { value: '30 seconds' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save nas-copy' }));
    expect(await screen.findByText('30 s is out of range: from 60 s (1 minute) to 604800 s (7 days)')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('How often'), { target: { value: '1 hour' } });
    fireEvent.change(screen.getByLabelText('Max age'), { target: { value: '1 day 4 hours' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save nas-copy' }));
    expect((await screen.findByTestId('checks-saved')).textContent).toContain('Saved nas-copy');
    const puts = api
      .calls()
      .filter(([, init]) => init.method === 'PUT')
      .map(([, init]) => JSON.parse(String(init.body)));
    expect(puts[1]).toEqual({
      checkId: 'nas-copy',
      kind: 'BACKUP_FOLDER',
      intervalSeconds: 3600,
      settings: { maxAge: '100800s', readBack: true },
    });
    await waitFor(() => expect(screen.getByTestId('check-row').textContent).toContain('every 1 hour'));
    // two round trips of a whole form: slow on a loaded machine
  }, 90_000);

  it('says what the browser cannot read, under its field, and sends nothing', async () => {
    const api = stubChecksApi(providerAdmin);
    renderWithProviders(<AppRoutes />, { route: '/checks' });
    fireEvent.click(within(await screen.findByTestId('check-row')).getByRole('button', { name: 'Change' }));
    fireEvent.change(screen.getByLabelText('Max age'), { target: { value: 'a fortnight' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save nas-copy' }));
    expect(
      await screen.findByText('"a" is not a number: e.g. "26 hours", "90 days", "15 minutes" or "1 day 2 hours"'),
    ).toBeTruthy();
    expect(api.calls().some(([, init]) => init.method === 'PUT')).toBe(false);
  });

  it('lets a technician read the checks, not change them', async () => {
    stubChecksApi(technician);
    renderWithProviders(<AppRoutes />, { route: '/checks' });
    expect(await screen.findByTestId('check-row')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('signed-in-user').dataset.role).toBe('provider-technician'));
    expect(screen.queryByRole('button', { name: 'Change' })).toBeNull();
    expect(screen.queryByTestId('check-templates')).toBeNull();
  });
});

describe("a practice's checks", () => {
  it('shows where each check comes from and the rules no check serves as configuration gaps', async () => {
    stubApi(
      (url) =>
        url.endsWith('/compliance')
          ? Response.json({
              ...practiceComplianceFixture,
              rules: [
                {
                  ruleId: 'restore-test',
                  status: 'UNKNOWN',
                  reason: 'configuration gap: no check provides evidence for restore-test',
                  since: '2025-03-01T12:00:00Z',
                  configurationGap: true,
                },
              ],
            })
          : (practiceSideCalls(url) ?? Response.json(practiceFixture)),
      { me: providerAdmin },
    );
    renderWithProviders(<AppRoutes />, { route: '/practices/p-oak' });
    await waitFor(() =>
      expect(screen.getAllByTestId('practice-check-row')).toHaveLength(practiceChecksFixture.checks.length),
    );
    const [cloud, , ups] = screen.getAllByTestId('practice-check-row');
    expect(cloud!.textContent).toContain('own way');
    expect(cloud!.textContent).toContain('Borg repository');
    expect(ups!.dataset.removed).toBe('true');
    expect(ups!.textContent).toContain('not run here');
    expect(screen.getByTestId('configuration-gaps').textContent).toContain(
      'No check provides evidence for Restore test',
    );
    expect(screen.getByTestId('configuration-gap').textContent).toBe('configuration gap');
  });
});
