import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import Link from 'next/link';
import { Providers } from './providers';
import { KioskBanner } from '@/components/kiosk/KioskBanner';
import './globals.css';

export const metadata: Metadata = {
  title: 'kubepath',
  description: "kube-proxy's real rules, traced as the kernel would",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="nav">
          <Link href="/" className="brand">
            kubepath
          </Link>
          <Link href="/">Overview</Link>
          <Link href="/services">Services</Link>
          <Link href="/trace">Trace</Link>
          <Link href="/dns">DNS</Link>
        </header>
        <KioskBanner />
        <Providers>
          <main>{children}</main>
        </Providers>
      </body>
    </html>
  );
}
