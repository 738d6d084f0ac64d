import type { ServiceSummary } from '@/lib/model/cluster';
/**
 * Service list filtering (namespace, type, name/IP text, "no ready endpoints"). Pure and
 * index-based so the console can re-filter 10k Services on every keystroke.
 */

export interface ServiceFilter {
  text: string;
  namespace: string; // '' = all
  type: string; // '' = all
  noReady: boolean;
}

/** Lower-cased haystack per Service, built once per list. */
export function searchIndex(list: ServiceSummary[]): string[] {
  return list.map((s) => `${s.namespace}/${s.name} ${s.clusterIP} ${s.ports}`.toLowerCase());
}

export function filterServices(list: ServiceSummary[], index: string[], f: ServiceFilter): ServiceSummary[] {
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  const out: ServiceSummary[] = [];
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (f.namespace && s.namespace !== f.namespace) continue;
    if (f.type && s.type !== f.type) continue;
    if (f.noReady && !s.noReady) continue;
    if (words.length && !words.every((w) => index[i].includes(w))) continue;
    out.push(s);
  }
  return out;
}

export function namespacesOf(list: ServiceSummary[]): string[] {
  return [...new Set(list.map((s) => s.namespace))].sort();
}
