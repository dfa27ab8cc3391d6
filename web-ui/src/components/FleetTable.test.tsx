import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fleetFixture, NOW } from '../test/fixtures';
import { renderWithProviders } from '../test/render';
import { FleetTable } from './FleetTable';

describe('FleetTable', () => {
  it('renders one row per practice, worst first, with badge, link, times and counts', () => {
    renderWithProviders(<FleetTable practices={fleetFixture.practices} now={NOW} />);

    const table = screen.getByRole('table');
    expect(within(table).getAllByRole('columnheader').map((th) => th.textContent)).toEqual([
      'Status',
      'Practice',
      'Group',
      'Last seen',
      'Failing / total checks',
      'Reason',
    ]);

    const rows = screen.getAllByTestId('practice-row');
    expect(rows.map((r) => within(r).getByRole('link').textContent)).toEqual([
      'Birch Lane Clinic',
      'Oak Street Surgery',
      'Alder Practice',
      'Harbour Dental',
    ]);

    const [birch, oak, alder] = rows;
    const birchBadge = within(birch!).getByTestId('status-badge');
    expect(birchBadge.textContent).toBe('Failing');
    expect(birchBadge.dataset.status).toBe('FAIL');
    expect(within(oak!).getByTestId('status-badge').textContent).toBe('At risk');

    expect(within(birch!).getByRole('link').getAttribute('href')).toBe('/practices/p-birch');
    expect(birch!.textContent).toContain('never');
    expect(birch!.textContent).toContain('2 / 3');
    expect(birch!.textContent).toContain('City Group');
    expect(birch!.textContent).toContain('Restore test failed');

    const oakSeen = oak!.querySelector('time');
    expect(oakSeen?.textContent).toBe('3 h ago');
    expect(oakSeen?.getAttribute('dateTime')).toBe('2025-03-01T09:00:00Z');
    expect(oakSeen?.getAttribute('title')).toContain('2025');

    expect(alder!.querySelector('time')?.textContent).toBe('30 s ago');
  });
});
