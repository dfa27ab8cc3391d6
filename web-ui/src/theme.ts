import {
  Alert,
  type CSSVariablesResolver,
  DEFAULT_THEME,
  type MantineColorsTuple,
  Modal,
  createTheme,
} from '@mantine/core';

/*
 * Mantine's look, with every colour that carries text dark enough to read: WCAG 2.1 AA asks 4.5:1 between normal
 * text and its background (3:1 from 24 px, or 18.66 px bold). Mantine's defaults fall short in the light scheme: the
 * dimmed grey (#868e96) is 3.32:1 on white, links and filled buttons (#228be6) 3.55:1, a green badge 2.36:1. The
 * browser suite (web-ui/e2e/axe.mjs) runs axe-core on every page it visits and fails on any shortfall.
 *
 * Each value below is the palette's own hue, darkened only until it reaches at least 4.6:1 (a little margin over 4.5)
 * on each background text sits on here: white, striped table rows (gray.0 #f8f9fa) and hovered rows (gray.1 #f1f3f5).
 */

/** Shade 8 as text on white/gray.0/gray.1 and white text on it; shade 9 (a light badge's or alert's text) on shade 1. */
function readable(
  name: 'blue' | 'red' | 'green' | 'orange' | 'yellow',
  shade8: string,
  shade9: string,
): MantineColorsTuple {
  const [c0, c1, c2, c3, c4, c5, c6, c7] = DEFAULT_THEME.colors[name];
  return [c0, c1, c2, c3, c4, c5, c6, c7, shade8, shade9];
}

/** The secondary grey (c="dimmed", placeholders): 4.6:1 on gray.1, 5.2:1 on white (Mantine's gray.6 is 3.32:1). */
export const DIMMED = '#666e76';

export const theme = createTheme({
  colors: {
    // 8: on white 5.24:1 (was 5.02), 9: unchanged
    blue: readable('blue', '#186ebd', '#1864ab'),
    // 8: 5.18:1 (was 4.51, 4.28 on a striped row); 9 on red.1 4.94:1
    red: readable('red', '#d52020', '#c31d1d'),
    // 8: 5.17:1 (was 3.44); 9 on green.1 5.57:1 (was 3.8)
    green: readable('green', '#257d36', '#206d2f'),
    // 8: 5.16:1 (was 3.58); 9 on orange.1 5.13:1 (was 3.61)
    orange: readable('orange', '#bc480a', '#a94109'),
    // 8: 5.27:1 (was 2.48); 9 on yellow.1 5.83:1 (was 2.68): yellow text has to go ochre to be read
    yellow: readable('yellow', '#9e5c00', '#8a5000'),
  },
  // filled buttons and badges, outlines, links and c="red"-style text take shade 8 (Mantine's default is 6,
  // which no palette reaches 4.5:1 with)
  primaryShade: { light: 8, dark: 8 },
  components: {
    // the dialogs' × button has no text: say what it does
    // a message's × (e.g. "The group now has 9 checks" on Checks) likewise
    Alert: Alert.extend({ defaultProps: { closeButtonLabel: 'Dismiss the message' } }),
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close the dialog' } } }),
  },
});

/** The light scheme's text colours that Mantine sets from fixed shades rather than from primaryShade. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': DIMMED,
    '--mantine-color-placeholder': DIMMED,
    // field errors under inputs and the invalid input's own text (Mantine: red.6, 3.28:1)
    '--mantine-color-error': 'var(--mantine-color-red-8)',
  },
  dark: {},
});
