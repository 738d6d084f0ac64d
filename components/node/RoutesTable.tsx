import type { Route } from '@/lib/model/interfaces';

export function RoutesTable({ routes }: { routes: Route[] }) {
  return (
    <table aria-label="routes">
      <thead>
        <tr>
          <th>Destination</th>
          <th>Type</th>
          <th>Gateway</th>
          <th>Device</th>
          <th>Protocol</th>
          <th>Scope</th>
        </tr>
      </thead>
      <tbody>
        {routes.map((r, i) => (
          <tr key={i}>
            <td className="mono">{r.destination}</td>
            <td>{r.type ?? 'unicast'}</td>
            <td className="mono">{r.gateway ?? '—'}</td>
            <td className="mono">{r.device ?? '—'}</td>
            <td>{r.protocol ?? '—'}</td>
            <td>{r.scope ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
