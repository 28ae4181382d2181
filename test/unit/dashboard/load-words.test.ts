import { describe, expect, it } from 'vitest';
import type { LoadAggregate } from '../../../core/schema';
import { loadPercent, loadTableTitle, noMovesText, statusWords } from '../../../components/LoadHints/load-words';

const department = (over: number, absent: number): LoadAggregate => ({
  scope: 'department', team: null, managers: 4, load: 18.5, capacity: 30, utilisation: 0.62, over, absent, under: 2,
});

describe('what the load card says when it lists no moves', () => {
  it('tells an exec that moves are not shown to the role, never that there are none', () => {
    const text = noMovesText('aggregates', department(1, 1), 0);
    expect(text).toBe('Suggested moves are for the head of sales to decide; your view shows each team’s load.');
    expect(text).not.toMatch(/nobody is over capacity/);
    expect(loadTableTitle('aggregates')).toBe('Teams');
  });

  it('tells a manager the list holds only moves that touch them', () => {
    expect(noMovesText('own', department(1, 1), 0)).toBe('No moves involve you today.');
    expect(loadTableTitle('own')).toBe('You');
  });

  it('agrees with the department line for the head: "nobody over capacity" only when nobody is', () => {
    expect(noMovesText('everyone', department(0, 0), 0)).toBe('No moves suggested: nobody is over capacity or away with open deals.');
    expect(noMovesText('everyone', department(1, 1), 3)).toBe(
      'No moves suggested for the 2 managers over capacity or away: nobody has room to take their deals (listed below).',
    );
    expect(noMovesText('everyone', department(1, 0), 0)).toBe(
      'No new moves for the 1 manager over capacity or away: their deals already have a decided move, or fall due after the absence.',
    );
    expect(loadTableTitle('everyone')).toBe('Managers');
  });
});

describe('the load card in Russian', () => {
  it('counts managers with Russian plurals and writes an absence with a Russian date', () => {
    expect(noMovesText('everyone', department(1, 0), 0, 'ru')).toBe(
      'Новых передач для 1 перегруженного или отсутствующего менеджера нет: по его сделкам решение уже принято или их сроки наступают после отсутствия.',
    );
    expect(noMovesText('everyone', department(1, 1), 3, 'ru')).toMatch(/^Для 2 перегруженных или отсутствующих менеджеров передач нет/);
    expect(loadTableTitle('aggregates', 'ru')).toBe('Команды');
    expect(statusWords({ status: 'absent', absentUntil: '2026-12-07' }, 'ru')).toBe('Отсутствует до 7 дек.');
    expect(statusWords({ status: 'absent', absentUntil: '2026-12-07' }, 'en')).toBe('Absent until 7 Dec');
    expect(statusWords({ status: 'over', absentUntil: null }, 'ru')).toBe('Перегружен');
    expect(loadPercent(0.625, 'ru')).toBe('63\u00a0%');
  });
});
