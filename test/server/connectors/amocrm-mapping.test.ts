import { describe, expect, it } from 'vitest';
import { dealFromLead, pipelineFromJson, userFromJson } from '../../../server/connectors/amocrm/mapping';

// amoCRM's JSON to ours, pure: budgets with and without minor units, an empty budget, times in unix seconds.
describe('amoCRM mapping', () => {
  const context = { origin: 'https://acme.amocrm.ru', currency: 'RUB', ruleFields: ['loss_reason_id'] };
  const lead = { id: 15304587, name: ' Поставка стеллажей ', price: 1_250_000, responsible_user_id: 9630882, status_id: 142, pipeline_id: 6821134, closed_at: 1_772_440_200, updated_at: 1_772_440_260, loss_reason_id: null };

  it('reads a lead as the account holds it', () => {
    expect(dealFromLead(lead, context)).toEqual({
      crmId: '15304587', recordType: 'deal', title: 'Поставка стеллажей', amount: 1_250_000, currency: 'RUB', stage: '142', pipeline: '6821134', probability: null,
      ownerCrmId: '9630882', ownerName: null, expectedClose: null, closedAt: '2026-03-02T08:30:00.000Z', url: 'https://acme.amocrm.ru/leads/detail/15304587',
      modifiedAt: '2026-03-02T08:31:00.000Z', deleted: false, fields: { pipeline_id: '6821134', status_id: '142', loss_reason_id: null },
    });
  });

  it('takes the budget with minor units first, and an empty budget (0) as none', () => {
    expect(dealFromLead({ ...lead, price: 990, price_with_minor_units: 990.5 }, context).amount).toBe(990.5);
    expect(dealFromLead({ ...lead, price: 0 }, context).amount).toBeNull();
    expect(dealFromLead({ ...lead, name: '', responsible_user_id: 0 }, context)).toMatchObject({ title: '#15304587', ownerCrmId: null });
  });

  it('marks 142 won and 143 lost in each pipeline, and reads users', () => {
    const pipeline = pipelineFromJson({ id: 7, name: 'Закупки', _embedded: { statuses: [{ id: 70, name: 'Запрос' }, { id: 142, name: 'Успешно' }, { id: 143, name: 'Закрыто' }] } });
    expect(pipeline.stages.map((stage) => stage.status)).toEqual(['open', 'won', 'lost']);
    expect(userFromJson({ id: 5, name: 'Omar', email: ' Omar@Acme.example ', rights: { is_active: false } })).toEqual({ crmId: '5', name: 'Omar', email: 'omar@acme.example', active: false });
  });
});
