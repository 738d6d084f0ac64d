/**
 * A node whose capture is far longer than a page (as a 10k-Service node's iptables-save is): the node
 * page shows one page of lines with links to the others, in Chromium, and stays small. The long
 * capture is the served snapshot's own iptables-save with comment lines appended (iptables-save
 * writes `#` lines itself), its sha256 recomputed as the collector would have written it.
 */
import { expect, test } from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startConsole, type ConsoleServer } from './console-server';
import { servedSnapshotPath } from './cli';
import type { ClusterSnapshot } from '../lib/model/snapshot';

const EXTRA = 2_400;
let server: ConsoleServer;
let dir: string;
let node: string;
let lines: string[];

test.beforeAll(async () => {
  const snap = JSON.parse(readFileSync(servedSnapshotPath(), 'utf8')) as ClusterSnapshot;
  const n = snap.nodes.find((x) => !x.error && x.captures['iptables-save']?.stdout)!;
  const cap = n.captures['iptables-save']!;
  cap.stdout = `${cap.stdout.replace(/\n$/, '')}\n${Array.from({ length: EXTRA }, (_, i) => `# padding line ${i + 1} ${'x'.repeat(120)}`).join('\n')}\n`;
  cap.sha256 = createHash('sha256').update(cap.stdout, 'utf8').digest('hex');
  node = n.name;
  lines = cap.stdout.split('\n');
  dir = mkdtempSync(path.join(tmpdir(), 'kp-longnode-'));
  writeFileSync(path.join(dir, 'snapshot.json'), JSON.stringify(snap));
  server = await startConsole({ KUBEPATH_SNAPSHOT: path.join(dir, 'snapshot.json') });
});
test.afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a long capture is shown a page of lines at a time, with links to the other pages', async ({ page, request }) => {
  const total = lines.length;
  const res = await request.get(`${server.baseURL}/nodes/${node}`);
  expect(res.status()).toBe(200);
  // The whole capture is ~300 KB of text; the page holds one page of it (HTML plus the RSC payload).
  const html = await res.text();
  expect(html).toContain('# padding line 1 ');
  expect(html).not.toContain(`# padding line ${EXTRA} `);
  await page.goto(`${server.baseURL}/nodes/${node}`);
  const capture = page
    .locator('details')
    .filter({ has: page.locator('summary', { hasText: 'iptables-save' }) })
    .first();
  await capture.locator('summary').click();
  const pager = capture.getByRole('navigation', { name: 'pages of iptables-save' }).first();
  await expect(pager).toContainText(`lines 1–500 of ${total}`);
  await pager.getByRole('link', { name: /lines 501–1000/ }).click();
  await expect(page).toHaveURL(/capture=iptables-save&from=501/);
  // The asked capture opens on its page; the line numbers and text are the capture's own.
  const again = page
    .locator('details[open]')
    .filter({ has: page.locator('summary', { hasText: 'iptables-save' }) })
    .first();
  await expect(again.getByRole('navigation', { name: 'pages of iptables-save' }).first()).toContainText(
    `lines 501–1000 of ${total}`,
  );
  await expect(again.locator('pre').first()).toContainText(lines[500]);
  await again
    .getByRole('navigation', { name: 'pages of iptables-save' })
    .first()
    .getByRole('link', { name: 'last' })
    .click();
  await expect(page).toHaveURL(/capture=iptables-save&from=2501/);
  await expect(again.locator('pre').first()).toContainText(`# padding line ${EXTRA} `);
  // A from= that is not a line number is named, and the first page shown.
  await page.goto(`${server.baseURL}/nodes/${node}?capture=iptables-save&from=0x10`);
  await expect(page.getByRole('alert').filter({ hasText: 'from must be a line number' })).toBeVisible();
});
