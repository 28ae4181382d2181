import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  answeredWith: number;
}

/** A webhook receiver on 127.0.0.1 that records every request and can be told to fail the next N. */
export async function webhookReceiver() {
  const received: ReceivedWebhook[] = [];
  let failures = 0;
  const server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = failures > 0 ? 503 : 204;
      if (failures > 0) failures -= 1;
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), answeredWith: status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/headway`,
    received,
    failNext(count: number) {
      failures = count;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
  /** Header fields of the message, lower-cased names. */
  headers: Record<string, string>;
  body: string;
}

/** A minimal SMTP sink (RFC 5321 happy path) on 127.0.0.1 that records each message it accepts. */
export async function smtpSink() {
  const messages: ReceivedMail[] = [];
  const server = createTcpServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let current: { from: string; to: string[] } = { from: '', to: [] };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 sink.test ESMTP ready');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const data = buffer.slice(0, end).split('\r\n').map((l) => (l.startsWith('..') ? l.slice(1) : l)).join('\r\n');
          buffer = buffer.slice(end + 5);
          inData = false;
          const [head = '', ...rest] = data.split('\r\n\r\n');
          const headers: Record<string, string> = {};
          for (const line of head.split('\r\n')) {
            const colon = line.indexOf(':');
            if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
          }
          messages.push({ ...current, data, headers, body: rest.join('\r\n\r\n') });
          current = { from: '', to: [] };
          reply('250 2.0.0 queued');
          continue;
        }
        const newline = buffer.indexOf('\r\n');
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') reply('250-sink.test\r\n250 8BITMIME');
        else if (verb === 'MAIL') {
          current.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          reply('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          current.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          reply('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'QUIT') {
          reply('221 2.0.0 bye');
          socket.end();
          return;
        } else reply('502 5.5.2 not implemented');
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as AddressInfo).port,
    messages,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
