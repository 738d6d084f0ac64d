/** sha256 of a capture's stdout (UTF-8), lowercase hex: what RawCapture.sha256 holds. */
import { createHash } from 'node:crypto';

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
