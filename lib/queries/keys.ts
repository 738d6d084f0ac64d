/** Query key factory: every cached query in the console is keyed here. */
export const qk = {
  trace: (query: string) => ['trace', query] as const,
};
