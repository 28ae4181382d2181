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

export function loadVectors(list: (typeof vectorLists)[number]) {
  const path = fileURLToPath(new URL(`../../fixtures/${list}`, import.meta.url));
  return VectorFile.parse(JSON.parse(readFileSync(path, 'utf8')));
}

export const allVectors = vectorLists.flatMap((list) => {
  const file = loadVectors(list);
  return file.vectors.map((vector) => ({ ...vector, list, instances: file.instances }));
});
