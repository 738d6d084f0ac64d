/**
 * The one place the console binds to the engine (parsers + tracer), so the API code does not
 * depend on where those modules live.
 */
export { tracePacket } from '@/lib/trace/trace-packet';
export { nodeTraceInputs } from '@/lib/snapshot/to-trace-inputs';
