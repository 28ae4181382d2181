// The SuiteCRM contract fake in a process of its own, seeded with `count` deals (argv[2]), for measurements where the
// CRM must not share Headway's event loop (test/bench/crm-sync.ts). Sends {origin, ids} to its parent once it
// listens; a message {edit: crmId, amount} changes that deal as a CRM user would, answered by {edited: crmId}.
import { startSuiteFake } from './server';
import { seedSuiteDeals, seedSuiteTeam } from './seed';

const count = Number(process.argv[2] ?? '1000');
const spacingMs = Number(process.argv[3] ?? '300');

const running = await startSuiteFake();
const { usdId } = seedSuiteTeam(running.fake);
const ids = seedSuiteDeals(running.fake, count, { usdId, spacingMs });
process.on('message', (message: { edit?: string; amount?: string }) => {
  if (message.edit) {
    running.fake.editOpportunity(message.edit, { amount: message.amount ?? '1' });
    process.send?.({ edited: message.edit });
  }
});
process.on('disconnect', () => void running.close().finally(() => process.exit(0)));
process.send?.({ origin: running.origin, ids });
