import { describe, expect, it } from 'vitest';
import { dealFromOpportunity as dealFromDataverse, pipelineFromStatusReasons, userFromJson as dataverseUser } from '../../../server/connectors/dynamics365/mapping';
import { wholeSecond } from '../../../server/connectors/keyset';
import { dealFromOpportunity as dealFromSalesforce, pipelineFromStages, sfTimeToIso, userFromJson as salesforceUser } from '../../../server/connectors/salesforce/mapping';

// Salesforce's and Dataverse's JSON to ours, pure: their time formats, currencies from the org or the record, won and
// lost from the CRM's own stage definitions, ids and e-mails as stored.

describe('Salesforce mapping', () => {
  const context = { origin: 'https://acme.my.salesforce.com', orgCurrency: 'EUR', ruleFields: ['Type'] };
  const record = { Id: '0065g00000XyZabAAF', Name: ' Harbour Foods ', Amount: 12500, StageName: 'Closed Won', Probability: 100, OwnerId: '0055g00000AbCdEAAV', CloseDate: '2026-02-03', SystemModstamp: '2026-02-03T16:04:05.000+0000', IsDeleted: false, Type: 'New Customer' };

  it('reads an opportunity with its own currency where the org has several, else the org currency', () => {
    expect(dealFromSalesforce({ ...record, CurrencyIsoCode: 'usd' }, context)).toEqual({
      crmId: '0065g00000XyZabAAF', recordType: 'deal', title: 'Harbour Foods', amount: 12500, currency: 'USD', stage: 'Closed Won', pipeline: null, probability: 100,
      ownerCrmId: '0055g00000AbCdEAAV', ownerName: null, expectedClose: '2026-02-03', closedAt: null, url: 'https://acme.my.salesforce.com/lightning/r/Opportunity/0065g00000XyZabAAF/view',
      modifiedAt: '2026-02-03T16:04:05.000Z', deleted: false, fields: { Type: 'New Customer' },
    });
    expect(dealFromSalesforce(record, context).currency).toBe('EUR');
    expect(dealFromSalesforce({ ...record, IsDeleted: true, Amount: null, CloseDate: null }, context)).toMatchObject({ deleted: true, amount: null, expectedClose: null });
  });

  it('reads its datetimes with or without a colon in the offset, and bounds queries in whole seconds', () => {
    expect(sfTimeToIso('2026-02-03T16:04:05.000+0000')).toBe('2026-02-03T16:04:05.000Z');
    expect(sfTimeToIso('2026-02-03T18:04:05.000+02:00')).toBe('2026-02-03T16:04:05.000Z');
    expect(() => sfTimeToIso('yesterday')).toThrow(/unreadable/);
    expect(wholeSecond('2026-02-03T16:04:05.999Z')).toBe('2026-02-03T16:04:05Z');
  });

  it('takes won and lost from each stage’s IsClosed and IsWon, and users with their e-mail in lower case', () => {
    const stages = [
      { ApiName: 'Prospecting', MasterLabel: 'Prospecting', IsActive: true, IsClosed: false, IsWon: false },
      { ApiName: 'Signed', MasterLabel: 'Vertrag unterschrieben', IsActive: true, IsClosed: true, IsWon: true },
      { ApiName: 'Closed Lost', MasterLabel: 'Closed Lost', IsActive: true, IsClosed: true, IsWon: false },
    ];
    expect(pipelineFromStages(stages).stages).toEqual([
      { id: 'Prospecting', label: 'Prospecting', status: 'open' },
      { id: 'Signed', label: 'Vertrag unterschrieben', status: 'won' },
      { id: 'Closed Lost', label: 'Closed Lost', status: 'lost' },
    ]);
    expect(salesforceUser({ Id: '005A', Name: 'Maya Chen', Email: 'Maya.Chen@Acme.example', IsActive: false })).toEqual({ crmId: '005A', name: 'Maya Chen', email: 'maya.chen@acme.example', active: false });
  });
});

describe('Dynamics 365 mapping', () => {
  const context = { origin: 'https://contoso.crm4.dynamics.com', currencies: new Map([['7a1c2b3d-0000-4000-8000-00000000e0e0', 'EUR']]), ruleFields: ['new_opportunitytype'] };
  const record = {
    opportunityid: 'C1520D06-03D4-4019-A223-30B02A8F81DA', name: 'Harbour Foods', estimatedvalue: 12500, _transactioncurrencyid_value: '7A1C2B3D-0000-4000-8000-00000000E0E0', statecode: 0, statuscode: 1,
    closeprobability: 40, _ownerid_value: '5A376114-B2E3-EA11-A813-000D3A0C8CD2', '_ownerid_value@OData.Community.Display.V1.FormattedValue': 'Maya Chen', estimatedclosedate: '2026-05-29',
    actualclosedate: null, modifiedon: '2026-02-03T16:04:05Z', new_opportunitytype: 'Purchase',
  };

  it('reads an opportunity with ids in lower case, its currency by its transactioncurrency and the owner’s name', () => {
    expect(dealFromDataverse(record, context)).toEqual({
      crmId: 'c1520d06-03d4-4019-a223-30b02a8f81da', recordType: 'deal', title: 'Harbour Foods', amount: 12500, currency: 'EUR', stage: '1', pipeline: null, probability: 40,
      ownerCrmId: '5a376114-b2e3-ea11-a813-000d3a0c8cd2', ownerName: 'Maya Chen', expectedClose: '2026-05-29', closedAt: null,
      url: 'https://contoso.crm4.dynamics.com/main.aspx?pagetype=entityrecord&etn=opportunity&id=c1520d06-03d4-4019-a223-30b02a8f81da',
      modifiedAt: '2026-02-03T16:04:05.000Z', deleted: false, fields: { statecode: '0', new_opportunitytype: 'Purchase' },
    });
  });

  it('closes a won or lost opportunity on its actualclosedate, and reads a User Local date as its UTC day', () => {
    expect(dealFromDataverse({ ...record, statecode: 1, statuscode: 3, actualclosedate: '2026-03-02' }, context).closedAt).toBe('2026-03-02T00:00:00.000Z');
    // An open one keeps no close time even where a reopened deal still carries its old actualclosedate.
    expect(dealFromDataverse({ ...record, actualclosedate: '2026-03-02' }, context).closedAt).toBeNull();
    expect(dealFromDataverse({ ...record, estimatedclosedate: '2026-05-29T07:00:00Z' }, context).expectedClose).toBe('2026-05-29');
    expect(dealFromDataverse({ ...record, _transactioncurrencyid_value: null }, context).currency).toBeNull();
  });

  it('judges each status reason by its state, custom ones included', () => {
    const options = [{ Value: 1, State: 0, Label: { UserLocalizedLabel: { Label: 'In Progress' } } }, { Value: 100000001, State: 1, Label: { UserLocalizedLabel: { Label: 'Signed' } } }, { Value: 5, State: 2, Label: { UserLocalizedLabel: null } }];
    expect(pipelineFromStatusReasons(options).stages).toEqual([
      { id: '1', label: 'In Progress', status: 'open' },
      { id: '100000001', label: 'Signed', status: 'won' },
      { id: '5', label: '5', status: 'lost' },
    ]);
    expect(dataverseUser({ systemuserid: 'ABC', fullname: null, internalemailaddress: 'Omar@Acme.example', isdisabled: true })).toEqual({ crmId: 'abc', name: 'abc', email: 'omar@acme.example', active: false });
  });
});
