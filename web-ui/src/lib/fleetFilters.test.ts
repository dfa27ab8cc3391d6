import { describe, expect, it } from 'vitest';
import { fleetQueryString } from '../api/fleet';
import { readFilters, toQuery, writeFilters } from './fleetFilters';

describe('fleet filters', () => {
  it('round-trip through the address bar, defaults left out', () => {
    const filters = readFilters(new URLSearchParams('state=FAIL&group=g-1&rule=nas-copy&q=oak&sort=name&page=3'));
    expect(filters).toEqual({ state: 'FAIL', groupId: 'g-1', rule: 'nas-copy', q: 'oak', sort: 'name', page: 3 });
    expect(writeFilters(filters).toString()).toBe('state=FAIL&group=g-1&rule=nas-copy&q=oak&sort=name&page=3');
    expect(writeFilters(readFilters(new URLSearchParams(''))).toString()).toBe('');
  });

  it('ignore values that are not valid instead of failing', () => {
    expect(readFilters(new URLSearchParams('state=BROKEN&sort=colour&page=-2'))).toEqual({
      state: null,
      groupId: null,
      rule: null,
      q: '',
      sort: 'group',
      page: 1,
    });
  });

  it('ask the API for zero-based pages of 50 and leave empty filters out', () => {
    const query = toQuery(readFilters(new URLSearchParams('q=%20%20&page=2')));
    expect(query).toEqual({
      sort: 'group',
      page: 1,
      size: 50,
      state: undefined,
      groupId: undefined,
      rule: undefined,
      q: undefined,
    });
    expect(fleetQueryString(query)).toBe('?sort=group&page=1&size=50');
  });
});
