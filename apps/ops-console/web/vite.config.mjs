// The console's front end: built by tools/build/build.mjs into dist/apps/ops-console/web, which the console
// server serves. `npx vite apps/ops-console/web` serves it for development against a running console on 3020.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  server: { proxy: { '/api': 'http://127.0.0.1:3020', '/config.json': 'http://127.0.0.1:3020' } },
});
