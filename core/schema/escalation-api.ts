import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, RecordRef } from './common';
import { Deal } from './deal';
import { Escalation, EscalationInput, EscalationStatus, Recipient } from './escalation';
import { EscalationActions, EscalationAuditEntry, EscalationContextSnapshot, EscalationPreset, EscalationSettings } from './escalation-rules';

/*
 * Requests and answers of the escalation and report routes (server/routes/escalations, server/routes/reports).
 */

export const EscalationsQuery = z.object({
  status: EscalationStatus.optional(),
  /** inbox = what the caller may answer; sent = what the caller raised or joined; absent = everything visible. */
  box: z.enum(['inbox', 'sent']).optional(),
});
export type EscalationsQuery = z.infer<typeof EscalationsQuery>;

export const EscalationParams = z.object({ id: Id });

/** An escalation as the API shows it: the domain object plus the SLA flags the server keeps beside it. */
export const EscalationView = Escalation.extend({
  overdue: z.boolean(),
  /** When the SLA sweeper flagged it overdue (at its current or an earlier level); null = never. */
  overdueAt: IsoDateTime.nullable(),
});
export type EscalationView = z.infer<typeof EscalationView>;

/**
 * Names of the people the escalations mention (requester, participants, addressed person, comment and audit authors):
 * only head and admin may list users, yet everyone who sees an escalation should read who is in it.
 */
export const PeopleNames = z.record(Id, z.string());
export type PeopleNames = z.infer<typeof PeopleNames>;

export const EscalationsResponse = z.object({ escalations: z.array(EscalationView), names: PeopleNames.default({}) });
export type EscalationsResponse = z.infer<typeof EscalationsResponse>;

export const EscalationDetail = z.object({
  escalation: EscalationView,
  audit: z.array(EscalationAuditEntry),
  /** Whether the caller may acknowledge, resolve, hand over or ask for information. */
  mayAnswer: z.boolean(),
  isRequester: z.boolean(),
  names: PeopleNames.default({}),
});
export type EscalationDetail = z.infer<typeof EscalationDetail>;

/** A direct create: like the sync mutation, but `to` may be left out to follow the workspace's routing rules. */
export const EscalationCreateRequest = EscalationInput.extend({ to: Recipient.optional() });
export type EscalationCreateRequest = z.input<typeof EscalationCreateRequest>;

export const EscalationCreateResponse = z.object({
  escalation: EscalationView,
  /** True when the request joined a waiting escalation with the same record and category instead of opening one. */
  joined: z.boolean(),
  notice: z.string().nullable(),
});
export type EscalationCreateResponse = z.infer<typeof EscalationCreateResponse>;

/**
 * One action on an escalation, as a caller sends it: the domain actions (EscalationActions) except `join`, which
 * only the server derives from a duplicate create; comment ids are made by the server when the client sends none.
 */
export const EscalationActionRequest = z.discriminatedUnion('type', [
  EscalationActions.acknowledge,
  EscalationActions.comment.extend({ commentId: Id.optional() }),
  EscalationActions.requestInfo.extend({ commentId: Id.optional() }),
  EscalationActions.resolve,
  EscalationActions.handover,
  EscalationActions.withdraw,
  EscalationActions.edit,
  EscalationActions.escalateUp,
]);
export type EscalationActionRequest = z.infer<typeof EscalationActionRequest>;

/** The record a one-click escalation is about, tenant included. */
export const EscalationPresetQuery = RecordRef;
export type EscalationPresetQuery = z.infer<typeof EscalationPresetQuery>;

export const EscalationPresetResponse = z.object({
  preset: EscalationPreset,
  context: EscalationContextSnapshot,
  /** null when Headway has not seen this record yet. */
  deal: Deal.nullable(),
});
export type EscalationPresetResponse = z.infer<typeof EscalationPresetResponse>;

const HttpUrl = z
  .string()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'an http(s) URL');

/**
 * How the SMTP connection is encrypted: implicit (TLS from the first byte, usually port 465), starttls (upgrade on a
 * plain port, usually 587, and refuse to send if the server cannot), opportunistic (upgrade when the server offers
 * STARTTLS, plain otherwise: what a local relay needs, and what settings stored before this field mean).
 */
export const SmtpTls = z.enum(['implicit', 'starttls', 'opportunistic']);
export type SmtpTls = z.infer<typeof SmtpTls>;

export const SmtpSettings = z.object({
  host: z.string().trim().min(1).max(255).regex(/^[A-Za-z0-9.:\-[\]]+$/, 'a host name or address'),
  port: z.number().int().min(1).max(65535).default(25),
  tls: SmtpTls.default('opportunistic'),
  /** The envelope and From address. */
  from: z.email().max(320),
  username: z.string().max(320).nullable().default(null),
});
export type SmtpSettings = z.infer<typeof SmtpSettings>;

/** Where escalation events go outside the browser; secrets are stored but never shown again. */
export const DeliverySettings = z.object({
  /** Links in webhooks and e-mails point below this, e.g. https://headway.example.com. */
  baseUrl: HttpUrl.default('http://127.0.0.1:8787'),
  webhookUrl: HttpUrl.nullable().default(null),
  webhookSecret: z.string().min(16).max(500).nullable().default(null),
  smtp: SmtpSettings.nullable().default(null),
  smtpPassword: z.string().max(500).nullable().default(null),
});
export type DeliverySettings = z.infer<typeof DeliverySettings>;

export const EscalationSettingsView = EscalationSettings.extend({
  delivery: z.object({
    baseUrl: z.string(),
    webhookUrl: z.string().nullable(),
    webhookSecretSet: z.boolean(),
    smtp: SmtpSettings.nullable(),
    smtpPasswordSet: z.boolean(),
  }),
});
export type EscalationSettingsView = z.infer<typeof EscalationSettingsView>;

/**
 * PUT body: each part given replaces what is stored; secrets left out stay as they are, null clears them. The parts
 * lose their defaults here, or a part left out would come back as the default and overwrite the stored one.
 */
export const EscalationSettingsUpdate = z
  .object({
    discountApprovalPct: EscalationSettings.shape.discountApprovalPct.unwrap().optional(),
    rules: EscalationSettings.shape.rules.unwrap().optional(),
    calendar: EscalationSettings.shape.calendar.unwrap().optional(),
    delivery: z
      .object({
        baseUrl: HttpUrl.optional(),
        webhookUrl: HttpUrl.nullable().optional(),
        webhookSecret: z.string().min(16, 'a webhook secret of at least 16 characters').max(500).nullable().optional(),
        smtp: SmtpSettings.nullable().optional(),
        smtpPassword: z.string().max(500).nullable().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type EscalationSettingsUpdate = z.infer<typeof EscalationSettingsUpdate>;

export const AuditCsvQuery = z
  .object({ from: IsoDate.optional(), to: IsoDate.optional() })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'from is on or before to', path: ['to'] });

export const WeeklyReportQuery = z.object({
  /** Any day of the week; the report starts on that week's Monday. */
  week: IsoDate,
  format: z.enum(['html', 'csv', 'json']).default('html'),
});
export type WeeklyReportQuery = z.infer<typeof WeeklyReportQuery>;

export const StoredReport = z.object({ id: Id, weekStart: IsoDate, createdAt: IsoDateTime, createdBy: Id, scheduled: z.boolean(), link: z.string() });
export type StoredReport = z.infer<typeof StoredReport>;

export const ReportsResponse = z.object({ reports: z.array(StoredReport) });
export type ReportsResponse = z.infer<typeof ReportsResponse>;

export const ReportCreateRequest = z.object({ week: IsoDate });
