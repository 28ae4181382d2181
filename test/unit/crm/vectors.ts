// Loads the URL vector lists the adapter tests walk: the shared list (copied from /work/shared so CI has it) and
// Headway's own additions. Both are validated, so a typo in a list fails loudly instead of testing nothing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CrmId, RecordType } from '../../../core/schema';

const VectorFile = z.object({
  note: z.string(),
  instances: z.array(z.object({ origin: z.string(), crm: CrmId })),
  vectors: z
    .array(
      z.object({
        url: z.string(),
        crm: CrmId.nullable(),
        recordType: RecordType.nullable(),
        id: z.string().nullable(),
      }),
    )
    .min(1),
});

export const vectorLists = ['crm-url-vectors.json', 'crm-url-vectors.extra.json'] as const;

const Tenant = z.object({ instance: z.string(), crm: CrmId });

/** Headway's own list: the tenant each vector's URL shows, and further cases of tenants (crm-instance-vectors.json). */
const InstanceFile = z.object({
  note: z.string(),
  vectors: z.array(z.object({ url: z.string(), instance: z.string().nullable() })),
  cases: z
    .array(
      z.object({
        why: z.string(),
        url: z.string(),
        crm: CrmId.nullable(),
        instance: z.string().nullable(),
        instances: z.array(Tenant).optional(),
        named: z.boolean().default(true),
      }),
    )
    .min(1),
});

function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url)), 'utf8'));
}

export function loadVectors(list: (typeof vectorLists)[number]) {
  return VectorFile.parse(readFixture(list));
}

export const instanceVectors = InstanceFile.parse(readFixture('crm-instance-vectors.json'));

/** The shared lists write a tenant as {origin, crm}; detectRecord takes the workspace's tenants as {instance, crm}. */
export const tenantsOf = (instances: readonly { origin: string; crm: CrmId }[]) => instances.map(({ origin, crm }) => ({ instance: origin, crm }));

export const allVectors = vectorLists.flatMap((list) => {
  const file = loadVectors(list);
  const instances = tenantsOf(file.instances);
  return file.vectors.map((vector) => ({ ...vector, list, instances }));
});
