/** One switch over the export formats, used by the CLI and the console's export route. */
import type { IncidentReport } from '@/lib/model/report';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';
import { renderJson } from './report-json';

export const REPORT_FORMATS = ['html', 'md', 'json', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json',
  pdf: 'application/pdf',
};

export async function renderReport(report: IncidentReport, format: ReportFormat): Promise<Buffer> {
  switch (format) {
    case 'html':
      return Buffer.from(renderHtml(report));
    case 'md':
      return Buffer.from(renderMarkdown(report));
    case 'json':
      return Buffer.from(renderJson(report));
    case 'pdf': {
      const { renderPdf } = await import('./render-pdf');
      return renderPdf(report);
    }
  }
}
