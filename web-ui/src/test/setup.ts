import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

// A page's first render pulls in its chart and table code; on a loaded two-core CI machine that takes
// longer than testing-library's 1 s default, and a finder that gives up early fails for no fault of the page.
configure({ asyncUtilTimeout: 5000 });

// jsdom lacks matchMedia, which MantineProvider reads for the colour scheme.
// (guarded: crypto tests run in the node environment, where jsdom's ArrayBuffer would not reach WebCrypto)
if (typeof window !== 'undefined' && !window.matchMedia) {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }),
  });
}

// …nor ResizeObserver, which some Mantine components use.
if (typeof window !== 'undefined' && !('ResizeObserver' in window)) {
  class ResizeObserverStub {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.defineProperty(window, 'ResizeObserver', { writable: true, value: ResizeObserverStub });
}
