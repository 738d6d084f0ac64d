import { describe, expect, it } from 'vitest';
import { errorPageResponse } from './error-page';

describe('error page', () => {
  it('carries the status, escapes the message, names the kind', async () => {
    const res = errorPageResponse({
      kind: 'broken-snapshot',
      file: 'x.json',
      problem: 'schema',
      where: 'api',
      message: 'x.json: api: <script>alert(1)</script>',
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('data-error-kind="broken-snapshot"');
    expect(html).toContain('The snapshot cannot be served');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;');
  });
});
