/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The Flask package serves the built app: index.html at "/" (and for client-side
// routes) and the hashed files under "/assets/".
const outDir = fileURLToPath(new URL("../src/invsim/static/app", import.meta.url));

export default defineConfig({
  base: "/",
  plugins: [react()],
  resolve: {
    alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) },
  },
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: "assets",
    // A strict CSP forbids data: fonts/images unless allowed; keep every asset a file.
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
  server: {
    port: 5173,
    proxy: {
      // The Flask API (`invsim run`); override with INVSIM_API_URL=http://host:port.
      "/api": { target: process.env.INVSIM_API_URL ?? "http://127.0.0.1:8000", changeOrigin: false },
    },
  },
  test: {
    environment: "jsdom",
    globals: false,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
  },
});
