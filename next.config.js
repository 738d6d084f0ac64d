import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

/** @type {import('next').NextConfig} */
const nextConfig = {
  // ssh2 ships a native addon that Turbopack cannot place in an ESM chunk.
  serverExternalPackages: ['ssh2', 'cpu-features', '@kubernetes/client-node'],
  turbopack: { root },
  outputFileTracingRoot: root,
  poweredByHeader: false,
  // Next's own trailing-slash redirect (`/services/` → 308) answered before proxy.ts ran, so without
  // the security headers; the proxy now sees every request and Next still matches `/services/`.
  skipTrailingSlashRedirect: true,
};

export default nextConfig;
