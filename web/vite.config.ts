import { defineConfig } from 'vite';

/**
 * The console's build (`npm run build:web`, run by `npm install` and by the server when web/dist
 * is missing or stale) and its dev server (`npm run dev:web`).
 *
 * The dev server proxies /graphql, WebSockets included, to a running Berth (BERTH_URL, default
 * http://127.0.0.1:4000). Berth refuses browser requests from other origins (BERTH_CORS_ORIGINS),
 * and the dev server is one: the proxy drops the Origin header, so Berth sees what it sees from any
 * other local program.
 */
const target = process.env.BERTH_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', modulePreload: { polyfill: false }, assetsInlineLimit: 0 },
  server: {
    proxy: {
      '/graphql': {
        target,
        ws: true,
        configure: (proxy) => {
          proxy.on('proxyReq', (request) => request.removeHeader('origin'));
          proxy.on('proxyReqWs', (request) => request.removeHeader('origin'));
        },
      },
    },
  },
});
