import { z } from 'zod';
import { CrmId, Id, IsoDate, Role, UserLocale } from './common';

export const Segments = z.object({
  region: z.array(z.string().min(1).max(100)).max(50).default([]),
  product: z.array(z.string().min(1).max(100)).max(50).default([]),
  tier: z.array(z.string().min(1).max(100)).max(50).default([]),
});
export type Segments = z.infer<typeof Segments>;

export const Absence = z
  .object({ from: IsoDate, to: IsoDate })
  .refine((a) => a.from <= a.to, 'an absence ends on or after the day it starts');
export type Absence = z.infer<typeof Absence>;

/** How a CRM names this user as a record owner; used to map page owners to Headway users. */
export const CrmIdentity = z.object({
  crm: CrmId,
  ownerId: z.string().max(200).optional(),
  email: z.email().optional(),
  name: z.string().max(200).optional(),
});
export type CrmIdentity = z.infer<typeof CrmIdentity>;

export const UserInput = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
  role: Role,
  team: z.string().max(100).nullable().default(null),
  /** Load units this person can carry (see core/balance). */
  capacity: z.number().int().min(0).max(100_000).default(100),
  segments: Segments.default({ region: [], product: [], tier: [] }),
  absences: z.array(Absence).max(100).default([]),
  crmIdentities: z.array(CrmIdentity).max(50).default([]),
});
export type UserInput = z.infer<typeof UserInput>;

/** A person's own language (PUT /api/me/locale, `user set --locale`); null follows the browser's. */
export const LocaleUpdate = z.object({ locale: UserLocale.nullable() });
export type LocaleUpdate = z.infer<typeof LocaleUpdate>;

export const User = UserInput.extend({
  id: Id,
  createdAt: z.string(),
  /** The language this person set for Headway; null or absent = the browser's (extension) or the workspace's (server texts). */
  locale: UserLocale.nullable().optional(),
});
export type User = z.infer<typeof User>;
