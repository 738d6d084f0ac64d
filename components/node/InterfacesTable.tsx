import type { NetInterface } from '@/lib/model/interfaces';

/** Interfaces with their addresses, as `ip addr` shows them. */
export function InterfacesTable({ interfaces, label }: { interfaces: NetInterface[]; label: string }) {
  return (
    <table aria-label={label}>
      <thead>
        <tr>
          <th>#</th>
          <th>Interface</th>
          <th>State</th>
          <th>Type</th>
          <th>Addresses</th>
          <th>MTU</th>
        </tr>
      </thead>
      <tbody>
        {interfaces.map((i) => (
          <tr key={`${i.index}:${i.name}`}>
            <td>{i.index}</td>
            <td className="mono">
              {i.name}
              {i.link ? `@${i.link}` : ''}
              {i.master ? ` (master ${i.master})` : ''}
            </td>
            <td>{i.state ?? '—'}</td>
            <td>{i.linkType ?? '—'}</td>
            <td className="mono">{i.addresses.map((a) => `${a.address}/${a.prefixLength}`).join(', ') || '—'}</td>
            <td>{i.mtu ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
