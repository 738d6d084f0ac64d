import { describe, expect, it } from 'vitest';
import { malformedEncoding } from './encoding';

describe('kiosk > malformed percent-encoding', () => {
  it.each(['/api/nodes/%ZZ', '/nodes/%E0%A4%A', '/nodes/%', '/x/%C3', '/api/nodes/%ED%A0%80'])('%s is refused', (p) => {
    expect(malformedEncoding(p, '')).toMatch(/path has malformed percent-encoding/);
  });
  it('reads the query string too', () => {
    expect(malformedEncoding('/trace', '?src=%ZZ&dst=1')).toMatch(/query string/);
    expect(malformedEncoding('/trace', '?a%ZZ=1')).toMatch(/query string/);
  });
  it.each([
    ['/nodes/node-a', ''],
    ['/services/ns/%3Cimg%3E', '?q=a+b&x=%2F'],
    ['/', '?'],
    ['/api/nodes/..%2F..%2Fetc', '?a=&b'],
  ])('%s%s decodes', (p, q) => {
    expect(malformedEncoding(p, q)).toBeUndefined();
  });
});
