// A Maven-shaped CSV of deals (the public CRM sales-opportunities sample's columns) of any length, and the `deals
// import` options that map it, for the tests and the bench that import big files.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const stages = ['Won', 'Lost', 'Engaging', 'Prospecting'];

/** Writes `rows` deals to `file`, streamed (a million rows is about 100 MB). */
export async function writeDealsCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n');
  for (let i = 0; i < rows; i++) {
    const stage = stages[i % 4]!;
    const closed = stage === 'Won' || stage === 'Lost';
    const line = `OPP${String(i).padStart(8, '0')},Agent ${i % 30},GTX Pro,"Account ${i % 500}, Ltd",${stage},2017-03-01,${closed ? '2017-06-01' : ''},${closed ? 1000 + (i % 5000) : ''}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** `deals import` options for that file, on the tenant https://acme.pipedrive.com. */
export const dealsCsvImportOptions = [
  '--crm', 'pipedrive',
  '--map', 'crmId=opportunity_id,title=account,ownerName=sales_agent,status=deal_stage,closedAt=close_date,amount=close_value',
  '--value', 'status:Won=won', '--value', 'status:Lost=lost', '--value', 'status:Engaging=open', '--value', 'status:Prospecting=open',
  '--set', 'currency=USD',
];
