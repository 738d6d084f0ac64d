'use client';
import type { ServiceFilter } from '@/lib/wire/service-filter';

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

export function ServiceFilters({
  value,
  onChange,
  namespaces,
}: {
  value: ServiceFilter;
  onChange: (f: ServiceFilter) => void;
  namespaces: string[];
}) {
  return (
    <form className="row" role="search" onSubmit={(e) => e.preventDefault()}>
      <label className="field">
        Search
        <input
          type="search"
          aria-label="Search Services"
          placeholder="name, namespace or IP"
          value={value.text}
          onChange={(e) => onChange({ ...value, text: e.target.value })}
        />
      </label>
      <label className="field">
        Namespace
        <select
          aria-label="Namespace"
          value={value.namespace}
          onChange={(e) => onChange({ ...value, namespace: e.target.value })}
        >
          <option value="">all</option>
          {namespaces.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </label>
      <label className="field">
        Type
        <select aria-label="Type" value={value.type} onChange={(e) => onChange({ ...value, type: e.target.value })}>
          <option value="">all</option>
          {TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label className="field" style={{ flexDirection: 'row', alignItems: 'center', gap: '.3rem' }}>
        <input
          type="checkbox"
          checked={value.noReady}
          onChange={(e) => onChange({ ...value, noReady: e.target.checked })}
        />{' '}
        no ready endpoints
      </label>
    </form>
  );
}
