import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    // Hashed names under assets/: the server caches them for a year and never index.html.
    assetsDir: 'assets',
    outDir: 'dist',
    sourcemap: false,
    target: 'es2020',
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
  server: {
    // `npx vite` for development, against a server on the default port.
    proxy: {
      '^/(query|write|api)': 'http://127.0.0.1:8086',
    },
  },
});
