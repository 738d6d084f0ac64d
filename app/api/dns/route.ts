import { handleDns } from '@/lib/api/dns-handler';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  const { status, body } = handleDns(new URL(request.url).searchParams);
  return Response.json(body, { status });
}
