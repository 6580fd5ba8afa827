import { defineConfig } from 'vite';

// The page's CSP is `default-src 'self'` without any unsafe-*: nothing may be inlined, neither
// small assets as data: URLs nor the module-preload polyfill as an inline script.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
    reportCompressedSize: true,
  },
  server: { proxy: { '/api': 'http://localhost:8000' } },
});
