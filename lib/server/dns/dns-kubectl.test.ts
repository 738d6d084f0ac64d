import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ClusterSnapshot } from '@/lib/model/snapshot';
import { endpointSlicesFromJson, podsFromJson, servicesFromJson } from '@/lib/dns/k8s-json';
import { endpointSlicesToKubectl, podsToKubectl, servicesToKubectl } from './dns-kubectl';

const api = (
  JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, '../../../demo/provisional-snapshot.json'), 'utf8'),
  ) as ClusterSnapshot
).api!;
// JSON drops undefined fields on both sides; compare what survives a JSON round trip.
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));

describe('API objects → kubectl JSON → the CLI reader', () => {
  it('Services survive the round trip', () => {
    const back = servicesFromJson(JSON.stringify(servicesToKubectl(api.services)));
    expect(plain(back)).toEqual(
      plain(
        api.services.map((s) => ({
          ...s,
          externalTrafficPolicy: undefined,
          internalTrafficPolicy: undefined,
          sessionAffinity: undefined,
          sessionAffinityTimeout: undefined,
          healthCheckNodePort: undefined,
        })),
      ),
    );
  });
  it('EndpointSlices survive the round trip', () => {
    expect(plain(endpointSlicesFromJson(JSON.stringify(endpointSlicesToKubectl(api.endpointSlices))))).toEqual(
      plain(api.endpointSlices),
    );
  });
  it('Pods survive the round trip', () => {
    expect(plain(podsFromJson(JSON.stringify(podsToKubectl(api.pods))))).toEqual(plain(api.pods));
  });
});
