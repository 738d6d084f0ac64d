import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';

// One free port per run, chosen by the kernel; workers inherit it through the environment.
process.env.KP_E2E_PORT ??= execFileSync(
  process.execPath,
  ['-e', "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"],
  { encoding: 'utf8' },
).trim();
const port = Number(process.env.KP_E2E_PORT);
// KP_E2E_BASE_URL points the tests at an already running console (e.g. `next dev`) instead of starting one.
const external = process.env.KP_E2E_BASE_URL;

export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: external ?? `http://127.0.0.1:${port}`,
    trace: 'on-first-retry',
    viewport: { width: 1440, height: 1000 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: external
    ? undefined
    : {
        // scripts/test-all.sh builds first; a local run builds when there is no build yet.
        command: `test -f .next/BUILD_ID || npx next build; exec npx next start -H 127.0.0.1 -p ${port}`,
        url: `http://127.0.0.1:${port}/api/services`,
        timeout: 240_000,
        reuseExistingServer: false,
        env: {
          NEXT_TELEMETRY_DISABLED: '1',
          ...(process.env.KUBEPATH_SNAPSHOT ? { KUBEPATH_SNAPSHOT: process.env.KUBEPATH_SNAPSHOT } : {}),
        },
      },
});
