import { handleTrace } from '@/lib/api/trace-handler';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  const { status, body } = handleTrace(new URL(request.url).searchParams);
  return Response.json(body, { status });
}
