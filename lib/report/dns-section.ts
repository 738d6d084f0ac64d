/** The DNS part of a report, in Markdown and HTML: each candidate name, its queries and answers. */
import { mdText } from './markdown-escape';
import { escapeXml as esc } from './trace-svg';
import type { DnsExplanation } from '@/lib/model/dns';

function answerText(q: DnsExplanation['queries'][number]): string {
  const data = q.answers.map((a) => `${a.type} ${a.data}`).join(', ');
  return `${q.rcode}${data ? ` ${data}` : ''} via ${q.via}${q.detail ? ` (${q.detail})` : ''}`;
}

export function dnsMarkdown(e: DnsExplanation): string {
  const out = [
    '## Resolution',
    '',
    `Resolver: ${mdText(e.flavor)}, transport: ${mdText(e.transport)}, nameservers: ${mdText(e.config.nameservers.join(', '))}, search: ${mdText(e.config.search.join(' '))}, ndots ${e.config.options.ndots}`,
    '',
  ];
  out.push('| # | candidate | query | nameserver | answer | decision |', '|---|---|---|---|---|---|');
  e.steps.forEach((s, i) => {
    for (const q of s.queries) {
      out.push(
        `| ${i + 1} | ${mdText(s.candidate.fqdn)} | ${q.type} | ${mdText(q.nameserver)} | ${mdText(answerText(q))} | ${s.decision}: ${mdText(s.why)} |`,
      );
    }
  });
  out.push('', `Result: ${e.status}${e.addresses.length ? ` → ${mdText(e.addresses.join(', '))}` : ''}`, '');
  return out.join('\n');
}

export function dnsHtml(e: DnsExplanation): string {
  const rows = e.steps
    .flatMap((s, i) =>
      s.queries.map(
        (q) =>
          `<tr><td>${i + 1}</td><td>${esc(s.candidate.fqdn)}</td><td>${q.type}</td><td>${esc(q.nameserver)}</td><td>${esc(answerText(q))}</td><td>${esc(`${s.decision}: ${s.why}`)}</td></tr>`,
      ),
    )
    .join('');
  return `<h2>Resolution</h2><p>Resolver ${esc(e.flavor)}, ${esc(e.transport)}; nameservers ${esc(e.config.nameservers.join(', '))}; search ${esc(e.config.search.join(' '))}; ndots ${e.config.options.ndots}</p>
<table class="dns"><thead><tr><th>#</th><th>candidate</th><th>query</th><th>nameserver</th><th>answer</th><th>decision</th></tr></thead><tbody>${rows}</tbody></table>
<p>Result: ${esc(e.status)}${e.addresses.length ? ` → ${esc(e.addresses.join(', '))}` : ''}</p>`;
}
