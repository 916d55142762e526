import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const bff = "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
  },
  worker: { format: "es" },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { "/api": bff, "/invitations": bff },
  },
  preview: { port: 5173, strictPort: true },
});
