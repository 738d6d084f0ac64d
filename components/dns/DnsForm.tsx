import type { DnsQuestion } from '@/lib/wire/dns-request';

/** A plain GET form: submitting it puts the question in the URL (`/dns?pod=…&name=…`), so it is shareable. */
export function DnsForm({ value, pods }: { value: Partial<Record<keyof DnsQuestion, string>>; pods: string[] }) {
  return (
    <form method="get" action="/dns" className="card row" aria-label="DNS question">
      <label className="field">
        Pod (namespace/name)
        <input
          name="pod"
          list="dns-pods"
          defaultValue={value.pod ?? ''}
          placeholder="default/web-0"
          size={34}
          required
        />
        <datalist id="dns-pods">
          {pods.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      </label>
      <label className="field">
        Name to resolve
        <input
          name="name"
          defaultValue={value.name ?? ''}
          placeholder="cart, cart.default, example.com"
          size={30}
          required
        />
      </label>
      <label className="field">
        Resolver
        <select name="resolver" defaultValue={value.resolver ?? 'glibc'}>
          <option value="glibc">glibc (Debian, Ubuntu, RHEL images)</option>
          <option value="musl">musl (Alpine images)</option>
        </select>
      </label>
      <label className="field">
        Trace port (optional)
        <input name="port" defaultValue={value.port ?? ''} placeholder="Service's first" size={8} />
      </label>
      <label className="field">
        Protocol
        <select name="proto" defaultValue={value.proto ?? ''}>
          <option value="">(Service&apos;s)</option>
          <option value="tcp">tcp</option>
          <option value="udp">udp</option>
          <option value="sctp">sctp</option>
        </select>
      </label>
      <button type="submit">Resolve</button>
    </form>
  );
}
