import { describe, expect, it } from 'vitest';
import { DIMMED, theme } from './theme';

/** WCAG 2.1's contrast ratio of two #rrggbb colours (1 to 21). */
function contrast(a: string, b: string): number {
  const channel = (hex: string, at: number) => {
    const c = parseInt(hex.slice(at, at + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (hex: string) => 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** Where text sits: the page, striped table rows (gray.0), hovered rows (gray.1). */
const SURFACES = ['#ffffff', '#f8f9fa', '#f1f3f5'];

// The browser suite (e2e/axe.mjs) is the real check; this one fails in seconds when a colour of the theme is changed.
describe('the theme keeps text readable (WCAG 2.1 AA, 4.5:1)', () => {
  it.each(['blue', 'red', 'green', 'orange', 'yellow'])(
    '%s: shade 8 (text, filled and outline) on every surface, shade 9 on its light background',
    (name) => {
      const shades = theme.colors?.[name];
      expect(shades).toBeDefined();
      for (const surface of SURFACES) expect(contrast(shades![8], surface)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(shades![9], shades![1])).toBeGreaterThanOrEqual(4.5);
    },
  );

  it('the dimmed grey on every surface', () => {
    for (const surface of SURFACES) expect(contrast(DIMMED, surface)).toBeGreaterThanOrEqual(4.5);
  });

  it('filled buttons and badges use shade 8', () => {
    expect(theme.primaryShade).toEqual({ light: 8, dark: 8 });
  });

  it("Mantine's own dimmed grey would fail, so the check can tell", () => {
    expect(contrast('#868e96', '#ffffff')).toBeLessThan(4.5);
  });
});
