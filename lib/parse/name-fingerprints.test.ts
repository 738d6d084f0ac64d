import { describe, expect, it } from 'vitest';
import { NameFingerprints } from '@/lib/parse/name-fingerprints';

describe('NameFingerprints', () => {
  it('answers membership for spans of a larger text, through many growths', () => {
    const set = new NameFingerprints();
    const names = Array.from(
      { length: 20_000 },
      (_, i) => `KUBE-SEP-${i.toString(36).toUpperCase().padStart(16, 'Q')}`,
    );
    names.forEach((n, i) => i % 2 === 0 && set.add(n));
    set.add(names[0]); // idempotent
    const text = names.join(' -j ');
    let at = 0;
    names.forEach((n, i) => {
      expect(set.hasSpan(text, at, at + n.length), n).toBe(i % 2 === 0);
      at += n.length + 4;
    });
  });

  it('tells apart names that differ in one character, in length, or only by a prefix', () => {
    const set = new NameFingerprints();
    set.add('KUBE-MARK-MASQ');
    const t = 'KUBE-MARK-MASQ KUBE-MARK-MASK KUBE-MARK-MAS KUBE-MARK-MASQQ';
    expect([set.hasSpan(t, 0, 14), set.hasSpan(t, 15, 29), set.hasSpan(t, 30, 43), set.hasSpan(t, 44, 59)]).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(set.hasSpan('', 0, 0)).toBe(false);
  });
});
