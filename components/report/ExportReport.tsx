/**
 * "Export incident report": one download link per format. Each is a plain GET to /api/report with
 * the same question as the trace on screen, so it works in kiosk mode (read-only) and needs no
 * client state; the server names the file and sets its content type.
 */
const FORMATS = [
  { format: 'html', label: 'HTML' },
  { format: 'md', label: 'Markdown' },
  { format: 'json', label: 'JSON' },
  { format: 'pdf', label: 'PDF' },
] as const;

export function ExportReport({ query, endpoint = '/api/report' }: { query: string; endpoint?: string }) {
  return (
    <nav className="card export-report" aria-label="Export incident report">
      <strong>Export incident report</strong>
      <span className="muted">
        {' '}
        (who asked, the question, the answer with its rule lines, findings, node status, capture sha256):
      </span>{' '}
      {FORMATS.map(({ format, label }) => (
        <a
          key={format}
          className="button"
          style={{ marginLeft: '.4rem' }}
          href={`${endpoint}?${query}&format=${format}`}
          download
          data-format={format}
        >
          {label}
        </a>
      ))}
    </nav>
  );
}
