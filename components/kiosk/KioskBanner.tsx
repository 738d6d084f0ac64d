import { connection } from 'next/server';
import { isKiosk } from '@/lib/kiosk/policy';

/**
 * Shown on every page when the console runs with KUBEPATH_KIOSK=1. The banner only tells the truth;
 * the read-only guarantee itself is enforced on the server (proxy.ts refuses every non-GET/HEAD).
 */
const BANNER = {
  background: '#fff4d6',
  color: '#5c3d00',
  borderBottom: '1px solid #f0d48a',
  padding: '.45rem 1.25rem',
} as const;

export async function KioskBanner() {
  // Read the environment at request time, not at build time.
  await connection();
  if (!isKiosk()) return null;
  return (
    <div role="status" aria-label="kiosk mode" className="kiosk-banner" data-testid="kiosk-banner" style={BANNER}>
      <strong>Kiosk mode</strong> · read-only: you can look, trace and export reports; nothing can be changed, no
      credential entered and no node added.
    </div>
  );
}
