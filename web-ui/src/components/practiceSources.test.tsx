import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../App';
import { practiceManager, providerAdmin, stubApi } from '../test/api';
import { practiceFixture, practiceSideCalls, practiceSourcesFixture } from '../test/fixtures';
import { renderWithProviders } from '../test/render';

afterEach(() => vi.unstubAllGlobals());

function stub(
  me = providerAdmin,
  put: (url: string, body: unknown) => Response = () => Response.json(practiceSourcesFixture),
) {
  return stubApi(
    (url, init) => {
      if (init.method === 'PUT' || init.method === 'DELETE')
        return put(url, init.body ? JSON.parse(String(init.body)) : {});
      return practiceSideCalls(url) ?? Response.json(practiceFixture);
    },
    { me },
  );
}

describe('the Sources section of a practice', () => {
  it('shows where each check looks and a password only as whom it is sealed for', async () => {
    stub();
    renderWithProviders(<AppRoutes />, { route: '/practices/p-oak' });
    const section = (await screen.findByRole('heading', { level: 2, name: 'Sources' })).closest('section')!;
    const rows = await within(section).findAllByTestId('source-row');

    expect(rows[0]!.textContent).toContain('Folder (absolute path): /mnt/nas/backups');
    expect(rows[1]!.textContent).toContain(
      'set, sealed for 1 agent; server-2 cannot open it: re-enter it to seal it for the new agent',
    );
    expect(section.textContent).not.toContain('BA==');
  });

  it('saves a check\u2019s settings and shows a refusal under its field, keeping what was typed', async () => {
    const api = stub(providerAdmin, (_url, body) =>
      (body as { settings: Record<string, string> }).settings.path === 'backups'
        ? Response.json(
            {
              status: 400,
              detail: 'the sources of check nas-copy were not changed: 1 setting(s) need fixing',
              errors: [{ field: 'settings.path', message: 'must be an absolute path, such as /mnt/nas/backups' }],
            },
            { status: 400 },
          )
        : Response.json(practiceSourcesFixture),
    );
    renderWithProviders(<AppRoutes />, { route: '/practices/p-oak' });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit the sources of nas-copy' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Folder (absolute path)'), { target: { value: 'backups' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(await within(dialog).findByText('must be an absolute path, such as /mnt/nas/backups')).toBeTruthy();
    expect((within(dialog).getByLabelText('Folder (absolute path)') as HTMLInputElement).value).toBe('backups');

    fireEvent.change(within(dialog).getByLabelText('Folder (absolute path)'), { target: { value: '/srv/backups' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const puts = api.calls().filter(([, init]) => init.method === 'PUT');
    expect(puts.map(([url]) => url)).toEqual([
      '/api/practices/p-oak/sources/nas-copy',
      '/api/practices/p-oak/sources/nas-copy',
    ]);
    expect(JSON.parse(String(puts[1]![1].body))).toEqual({ settings: { path: '/srv/backups' } });
  });

  it('is not shown to a practice manager', async () => {
    stub(practiceManager);
    renderWithProviders(<AppRoutes />, { route: '/practices/p-oak' });
    await screen.findByRole('heading', { level: 1, name: 'Oak Street Surgery' });

    expect(screen.queryByRole('heading', { level: 2, name: 'Sources' })).toBeNull();
  });
});
