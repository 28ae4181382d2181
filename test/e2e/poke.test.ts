import { randomUUID } from 'node:crypto';
import type { Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { pair, pairingCodeFor } from './notes-support';

const MANAGER = 'marco.rossi@northwind.example';
const HEAD = 'dana.whitfield@northwind.example';
/** extension/background/sync/runner.ts: the poll that runs only while the poke channel is down. */
const POLL_ALARM = 'headway-sync-poll';

type Chrome = { alarms: { get(name: string): Promise<unknown> }; action: { getBadgeText(details: object): Promise<string> } };

const pollAlarm = (worker: Worker) => worker.evaluate((name) => (globalThis as unknown as { chrome: Chrome }).chrome.alarms.get(name).then((alarm) => alarm ?? null), POLL_ALARM);
const badgeOf = (worker: Worker) => worker.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.action.getBadgeText({}));

/** A manager's device, as the manager's extension is to the server: a token and an outbox of its own. */
async function managerDevice(server: RunningServer) {
  const code = await pairingCodeFor(server, MANAGER);
  const paired = await fetch(`${server.url}/api/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, deviceName: 'Marco’s laptop' }) });
  expect(paired.status).toBe(200);
  const { token } = (await paired.json()) as { token: string };
  const clientId = `client_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  let mutationId = 0;
  return async (title: string) => {
    mutationId += 1;
    const response = await fetch(`${server.url}/api/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ clientId, mutations: [{ mutationId, name: 'escalation.create', args: { id: randomUUID(), category: 'approval', severity: 'high', title, record: null, to: { role: 'head' } } }] }),
    });
    expect(response.status).toBe(200);
  };
}

describe('the poke channel, in real Chromium against a real server', () => {
  let server: RunningServer;
  let head: LaunchedExtension;

  beforeAll(async () => {
    server = await startServer();
    head = await launchWithExtension();
    await pair(head, server, await pairingCodeFor(server, HEAD));
  });

  afterAll(async () => {
    await head?.close();
    await server?.stop();
    server?.cleanup();
  });

  it("a manager's escalation shows in the head's inbox and badge within 2 s, with no poll running", async () => {
    // Paired, the worker opens the channel; once it is up the fallback poll is switched off.
    await expect.poll(() => pollAlarm(head.worker), { timeout: 15_000 }).toBeNull();
    const send = await managerDevice(server);
    const inbox = await head.context.newPage();
    await inbox.goto(`chrome-extension://${head.extensionId}/inbox.html`);
    await inbox.getByTestId('box-inbox').waitFor();
    // Whatever opening the page set off (its list, a sync for its live port) is over before the escalation is sent.
    await inbox.waitForTimeout(1500);
    const before = Number((await badgeOf(head.worker)) || 0);
    // Nothing polls: the minute's alarm is off while the channel is up, and the inbox has no timer of its own.
    expect(await pollAlarm(head.worker)).toBeNull();

    const title = `Poke me: 18 % discount ${randomUUID().slice(0, 6)}`;
    const sentAt = Date.now();
    await send(title);
    const pushedIn = Date.now() - sentAt;
    await inbox.getByTestId('inbox-item').filter({ hasText: title }).waitFor({ timeout: 2000 });
    const listedIn = Date.now() - sentAt;
    await expect.poll(async () => Number((await badgeOf(head.worker)) || 0), { timeout: 2000, interval: 50 }).toBe(before + 1);
    const elapsed = Date.now() - sentAt;
    console.log(`poke e2e: escalation pushed in ${pushedIn} ms, in the head's inbox at ${listedIn} ms, badge at ${elapsed} ms`);
    expect(elapsed).toBeLessThan(2000);
    await inbox.close();
  });

  it('falls back to polling while the server is away, and returns to the channel when it is back', async () => {
    const { dataDir, port } = server;
    await server.stop();
    await expect.poll(() => pollAlarm(head.worker), { timeout: 15_000 }).not.toBeNull();
    server = await startServer({ dataDir, port });
    // Reconnects with backoff (and at once when the heartbeat sees the server): the poll is off again.
    await expect.poll(() => pollAlarm(head.worker), { timeout: 60_000, interval: 500 }).toBeNull();
    const send = await managerDevice(server);
    const before = Number((await badgeOf(head.worker)) || 0);
    await send(`After the restart ${randomUUID().slice(0, 6)}`);
    await expect.poll(async () => Number((await badgeOf(head.worker)) || 0), { timeout: 2000, interval: 50 }).toBe(before + 1);
  });
});
