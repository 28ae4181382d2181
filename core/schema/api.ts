import { z } from 'zod';
import { CrmId, Currency, Instance, UserLocale } from './common';
import { User } from './user';

export const PairRequest = z.object({
  code: z.string().trim().regex(/^[A-Z0-9]{4}-?[A-Z0-9]{4}$/i, 'a pairing code looks like ABCD-2345'),
  deviceName: z.string().trim().min(1).max(100),
});
export type PairRequest = z.infer<typeof PairRequest>;

export const PairResponse = z.object({ token: z.string(), user: User });
export type PairResponse = z.infer<typeof PairResponse>;

/**
 * One of the workspace's CRM tenants (`crm add`), SaaS or self-hosted. The extension acts only on these (it asks
 * the browser for their hosts alone) and the server accepts records only of these.
 */
export const CrmInstance = z.object({ instance: Instance, crm: CrmId });
export type CrmInstance = z.infer<typeof CrmInstance>;

export const WorkspaceSettings = z.object({
  name: z.string().min(1).max(200),
  reportingCurrency: Currency,
  /** 1 = January. The fiscal year starts on the first day of this month. */
  fiscalYearStartMonth: z.number().int().min(1).max(12),
  /** The language of reports, e-mails and notifications for whoever set none of their own; absent = English. */
  locale: UserLocale.optional(),
});
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;

export const ConfigResponse = z.object({
  instances: z.array(CrmInstance),
  disabledAdapters: z.array(z.object({ crm: CrmId, reason: z.string() })),
  settings: WorkspaceSettings,
});
export type ConfigResponse = z.infer<typeof ConfigResponse>;

/** Every error the server answers has this shape; `issues` carries zod's issues for 400s. */
export const ApiError = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.unknown()).optional(),
});
export type ApiError = z.infer<typeof ApiError>;
