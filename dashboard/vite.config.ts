import { fileURLToPath } from 'node:url';
import { defineConfig, type ProxyOptions } from 'vite';
import vue from '@vitejs/plugin-vue';

// The config lives in dashboard/ but is run from the repository root
// (`vite build --config dashboard/vite.config.ts`), so every path is anchored here.
const root = fileURLToPath(new URL('.', import.meta.url));
const platform = 'http://127.0.0.1:8080';

// The platform serves this bundle and the API from one origin; in dev and preview
// the same paths are forwarded to a platform running locally.
const proxy: Record<string, ProxyOptions> = {
  '/api': { target: platform },
  '/socket.io': { target: platform, ws: true },
};

export default defineConfig({
  root,
  base: '/',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
  },
  server: { proxy },
  preview: { proxy },
});
