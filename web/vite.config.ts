import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const bff = "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // The entry chunk (React, React Router, Auth0, react-query, the Mantine parts of the landing
    // page) is ~690 kB raw / ~210 kB gzipped by design; see docs/benchmarks.md.
    chunkSizeWarningLimit: 800,
  },
  worker: { format: "es" },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { "/api": bff, "/invitations": bff },
  },
  preview: { port: 5173, strictPort: true },
});
