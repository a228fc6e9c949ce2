import { defineConfig } from 'vite';

// The portal is a static single-page app served by the API from web/dist; built with
// `vite build web` (npm run web:build). React's JSX is
// compiled by Vite's own transformer (automatic runtime); no plugin is needed for a build.
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1000 },
  server: { proxy: { '/v1': 'http://localhost:3000', '/r': 'http://localhost:3000' } },
});
