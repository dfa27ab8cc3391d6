/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The build goes straight into the jar: Quarkus serves META-INF/resources at "/" and
// answers index.html for unknown non-API paths, so client-side routes survive a reload.
const controlPlane = 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'target/classes/META-INF/resources',
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Libraries every page uses apart from the app: they stay cached across releases. The
        // others (recharts for the report, @hpke for sealing sources) go with the lazy pages
        // that import them, so the first page does not wait for them.
        codeSplitting: {
          groups: [
            { name: 'mantine', test: /node_modules[\\/]@mantine/ },
            {
              name: 'vendor',
              test: /node_modules[\\/](react|react-dom|react-router|scheduler|@tanstack|oidc-client-ts|jwt-decode|cookie|set-cookie-parser)[\\/]/,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': controlPlane,
      '/q': controlPlane,
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    // a page test clicks through several forms; on a busy 2-core CI machine that takes longer than vitest's 5 s
    testTimeout: 30_000,
  },
});
