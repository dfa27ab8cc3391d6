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
  },
});
