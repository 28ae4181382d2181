import { defineMessages } from '../i18n/messages';

/**
 * The reasons given for a suggested move, in both languages. The Russian never declines a name (names come from
 * the CRM as written) and never agrees a verb with one (we do not know whether Tom or Maria is meant), so it puts
 * the name first and what follows in a form that needs neither: «Мария: загрузка 140 %», «Том: есть запас».
 * A donor's clause ends with "; " because a receiver's clause follows it in the same sentence.
 */
export const reasonMessages = defineMessages(
  {
    giving: '{name} is at {percent} of capacity; ',
    givingNoCapacity: '{name} has deals but no capacity; ',
    absent: '{name} is absent until {day}; ',
    taking: '{name} has room ({percent}).',
    takingSegment: '{name} has room ({percent}) and serves {segment}.',
    noCapacity: 'no capacity',
    uncoveredNobodyServes: '{name} is absent and no available manager serves this deal.',
    uncoveredNobodyServesSegment: '{name} is absent and no available manager serves {segment}.',
    uncoveredNoRoom: '{name} is absent and no manager has room for it under the target.',
    uncoveredNoRoomSegment: '{name} is absent and no manager serving {segment} has room for it under the target.',
    noRate: ' Its amount is in {currency}, which has no rate to {reporting}, so it weighs its stage only.',
    noRateNoReporting: ' Its amount is in {currency} and no reporting currency is set, so it weighs its stage only.',
    mostRoom: '{name} has the most room ({now} now, {after} with this deal).',
    mostRoomSegment: '{name} has the most room ({now} now, {after} with this deal) among managers serving its segment.',
    manualMove: '{by} moves it from {from} to {to}.',
    theOwner: 'The owner',
  },
  {
    giving: '{name}: загрузка {percent}; ',
    givingNoCapacity: '{name}: есть сделки, но нет мощности; ',
    absent: '{name} отсутствует до {day}; ',
    taking: '{name}: есть запас ({percent}).',
    takingSegment: '{name}: есть запас ({percent}), ведёт сегмент «{segment}».',
    noCapacity: 'нет мощности',
    uncoveredNobodyServes: '{name} отсутствует, и передать сделку некому: свободных менеджеров нет.',
    uncoveredNobodyServesSegment: '{name} отсутствует, и ни один свободный менеджер не ведёт сегмент «{segment}».',
    uncoveredNoRoom: '{name} отсутствует, и ни у кого нет запаса взять сделку без превышения целевой загрузки.',
    uncoveredNoRoomSegment: '{name} отсутствует, и ни у кого из менеджеров сегмента «{segment}» нет запаса взять сделку без превышения целевой загрузки.',
    noRate: ' Сумма сделки указана в {currency}, курса к {reporting} нет, поэтому её вес считается только по этапу.',
    noRateNoReporting: ' Сумма сделки указана в {currency}, а валюта отчётов не задана, поэтому её вес считается только по этапу.',
    mostRoom: '{name}: больше всего запаса ({now} сейчас, {after} с этой сделкой).',
    mostRoomSegment: '{name}: больше всего запаса среди менеджеров сегмента сделки ({now} сейчас, {after} с этой сделкой).',
    manualMove: '{by} передаёт сделку: {from} → {to}.',
    theOwner: 'Владелец',
  },
);
