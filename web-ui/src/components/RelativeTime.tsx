import { formatAbsolute, formatRelative } from '../lib/time';

/** "2 min ago", with the full time in the title; a <time> element when there is a time. */
export function RelativeTime({ value, now }: { value: string | null | undefined; now: number }) {
  if (!value) return <span>never</span>;
  return (
    <time dateTime={value} title={formatAbsolute(value)}>
      {formatRelative(value, now)}
    </time>
  );
}
