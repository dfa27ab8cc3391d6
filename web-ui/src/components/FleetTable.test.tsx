import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fleetFixture, NOW } from '../test/fixtures';
import { renderWithProviders } from '../test/render';
import { FleetTable } from './FleetTable';

describe('FleetTable', () => {
  it('renders the rows in the order given, under a heading per group, with state, rules, times', () => {
    renderWithProviders(<FleetTable practices={fleetFixture.practices} now={NOW} groupHeaders />);

    const table = screen.getByRole('table');
    expect(
      within(within(table).getAllByRole('rowgroup')[0]!)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['State', 'Practice', 'Group', 'What needs attention', 'Last seen', 'Last verified restore']);
    expect(screen.getAllByTestId('group-row').map((r) => r.textContent)).toEqual(['City Group', 'Coast Group']);

    const rows = screen.getAllByTestId('practice-row');
    expect(rows.map((r) => within(r).getByRole('link').textContent)).toEqual([
      'Birch Lane Clinic',
      'Oak Street Surgery',
      'Alder Practice',
      'Harbour Dental',
    ]);
    const [birch, oak, alder] = rows;
    expect(within(birch!).getByTestId('status-badge').dataset.status).toBe('FAIL');
    expect(within(birch!).getByRole('link').getAttribute('href')).toBe('/practices/p-birch');
    // the three worst rules by name, the rest counted, and the worst rule's reason in words
    // the rule's state is in words too, for those who cannot tell the colours apart
    expect(
      within(birch!)
        .getAllByTestId('rule-badge')
        .map((b) => b.textContent),
    ).toEqual(['Failing: Restore test', 'Failing: Daily copy on the NAS', 'At risk: Uninterruptible power supply']);
    expect(birch!.textContent).toContain('+1 more');
    expect(birch!.textContent).toContain('the last restore test failed: checksum mismatch');
    expect(birch!.textContent).toContain('never');

    expect(within(oak!).getByTestId('status-badge').textContent).toBe('At risk');
    expect(oak!.querySelectorAll('time')[0]?.textContent).toBe('3 h ago');
    expect(oak!.querySelectorAll('time')[1]?.textContent).toBe('3 d ago');
    expect(alder!.textContent).toContain('Every rule passes');
  });

  it('leaves the group headings out when sorted otherwise', () => {
    renderWithProviders(<FleetTable practices={fleetFixture.practices} now={NOW} groupHeaders={false} />);
    expect(screen.queryAllByTestId('group-row')).toHaveLength(0);
  });
});
