import { describe, expect, it } from 'vitest';
import { describeValue } from '../components/practice/CheckResultsTable';

describe('check details as a person reads them', () => {
  it('shows plain values and a dash for nothing', () => {
    expect(describeValue('clinical.bak')).toBe('clinical.bak');
    expect(describeValue(3)).toBe('3');
    expect(describeValue(null)).toBe('—');
    expect(describeValue('')).toBe('—');
  });

  it('flattens nested observations and lists instead of printing [object Object]', () => {
    expect(describeValue({ filesVerified: '12', unreadableFiles: ['a.bak', 'b.zip'] })).toBe(
      'filesVerified: 12; unreadableFiles: a.bak, b.zip',
    );
    expect(describeValue([{ mediaId: 'usb-1', label: 'USB-A' }, { mediaId: 'usb-2' }])).toBe(
      'mediaId: usb-1; label: USB-A, mediaId: usb-2',
    );
  });
});
