import { defineMessages } from '../../core/i18n';

/** The side panel's owner-and-load lines, built in the background (extension/background/insight/owner-lines.ts) and shown by components/OwnerLoad. */
export const ownerLoadMessages = defineMessages(
  {
    heading: 'Owner and load',
    awayUntil: '{name} · away until {date}',
    away: '{name} · away',
    loadPct: '{percent} of capacity',
    noCapacity: 'no capacity set',
    over: 'over',
    under: 'has room',
    notLinked: 'Owner “{label}” is not linked to a Headway user',
    noOwner: 'No owner in the CRM yet',
    cover: 'Cover while away',
    suggested: 'Suggested owner',
    moving: 'Moving to {name} — change the owner in the CRM',
    proposed: 'Move to {name} proposed — waiting for the head of sales',
  },
  {
    heading: 'Ответственный и загрузка',
    awayUntil: '{name} · отсутствует до {date}',
    away: '{name} · отсутствует',
    loadPct: 'загрузка {percent}',
    noCapacity: 'норма загрузки не задана',
    over: 'перегружен',
    under: 'есть резерв',
    notLinked: 'Ответственный «{label}» не связан с пользователем Headway',
    noOwner: 'В CRM ещё нет ответственного',
    cover: 'Подменить на время отсутствия',
    suggested: 'Предлагаемый ответственный',
    moving: 'Сделка передаётся: {name} — смените ответственного в CRM',
    proposed: 'Предложена передача сделки: {name} — ждёт решения руководителя отдела продаж',
  },
);
