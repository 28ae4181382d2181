export { presetEscalation, snapshotContext, clampText, dealFacts, type PresetInput } from './preset';
export { routeEscalation, nextLevelUp, rolesAbove, recipientRole, sameRecipient, type Person, type PeopleById } from './routing';
export { addBusinessMinutes, slaDue, businessHoursBetween, isOverdue, isBusinessTime } from './business-hours';
export { openEscalation, type OpenResult } from './open';
export { applyTransition, type TransitionContext, type TransitionResult } from './transitions';
export { canSee, mayAnswer, isAddressed, isAboveRecipients } from './visibility';
export { findOpenDuplicate, type DuplicateMatch } from './duplicates';
export { csvCell, csvRows, type CsvCell } from './csv';
export { auditCsv, AUDIT_CSV_HEADER } from './audit-csv';
export { auditDetails, auditActor, type NameOf } from './audit-words';
export { webhookEventType, webhookPayload, signWebhook, verifyWebhook, retrySchedule, type WebhookEvent, type WebhookVerification } from './webhook';
export {
  weeklyReport,
  reportCsv,
  WeeklyReport,
  WeeklyReportInput,
  ReportProgressRow,
  ReportLoadRow,
  ReportNotesRow,
  REPORT_CSV_HEADER,
} from './weekly-report';
export { mondayOf, lastWeekOf, routeReportRequest, routeByCategory, requestedWeek } from './report-request';
