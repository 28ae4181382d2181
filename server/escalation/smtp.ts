import { connect, type Socket } from 'node:net';

/*
 * A minimal SMTP client (RFC 5321) over a plain TCP connection: EHLO, optional AUTH PLAIN, MAIL FROM, RCPT TO,
 * DATA, QUIT. Enough for a local relay or sink; a relay that needs TLS is reached through a local forwarder.
 */

export interface SmtpMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** Message-ID and Date are set by the caller so tests can match them. */
  date: Date;
  messageId: string;
}

export interface SmtpTarget {
  host: string;
  port: number;
  username?: string | null;
  password?: string | null;
  /** Name sent with EHLO. */
  clientName?: string;
  timeoutMs?: number;
}

export class SmtpError extends Error {}

/** Reads whole replies (a multi-line one ends with "NNN " rather than "NNN-"). */
function replyReader(socket: Socket) {
  let buffer = '';
  const waiting: Array<{ resolve: (reply: { code: number; text: string }) => void; reject: (error: Error) => void }> = [];
  const replies: Array<{ code: number; text: string }> = [];
  let failure: Error | null = null;
  const drain = () => {
    for (;;) {
      const lines = buffer.split('\r\n');
      const end = lines.findIndex((line) => /^\d{3} /.test(line) || /^\d{3}$/.test(line));
      if (end < 0) return;
      const reply = { code: Number(lines[end]!.slice(0, 3)), text: lines.slice(0, end + 1).map((l) => l.slice(4)).join('\n') };
      buffer = lines.slice(end + 1).join('\r\n');
      const next = waiting.shift();
      if (next) next.resolve(reply);
      else replies.push(reply);
    }
  };
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    drain();
  });
  const fail = (error: Error) => {
    failure = error;
    for (const w of waiting.splice(0)) w.reject(error);
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new SmtpError('The SMTP server closed the connection.')));
  return (): Promise<{ code: number; text: string }> => {
    const ready = replies.shift();
    if (ready) return Promise.resolve(ready);
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
}

/** Header values are one line; anything else could inject headers. Non-ASCII goes as an RFC 2047 word. */
function headerValue(value: string): string {
  const line = value.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(line) ? line : `=?UTF-8?B?${Buffer.from(line, 'utf8').toString('base64')}?=`;
}

function address(value: string): string {
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(value)) throw new SmtpError(`Not an e-mail address: ${value}`);
  return value;
}

/** The DATA section: headers, a blank line, the body with CRLF line ends and leading dots doubled. */
export function formatMessage(message: SmtpMessage): string {
  const body = message.text.replace(/\r?\n/g, '\r\n').split('\r\n').map((line) => (line.startsWith('.') ? `.${line}` : line)).join('\r\n');
  return [
    `From: ${address(message.from)}`,
    `To: ${message.to.map(address).join(', ')}`,
    `Subject: ${headerValue(message.subject)}`,
    `Date: ${message.date.toUTCString()}`,
    `Message-ID: <${message.messageId.replace(/[<>\s]/g, '')}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    body,
  ].join('\r\n');
}

export async function sendMail(target: SmtpTarget, message: SmtpMessage): Promise<void> {
  if (message.to.length === 0) throw new SmtpError('No recipients.');
  const socket = connect({ host: target.host, port: target.port });
  socket.setTimeout(target.timeoutMs ?? 15_000, () => socket.destroy(new SmtpError('The SMTP server did not answer in time.')));
  const read = replyReader(socket);
  const expect = async (codes: number[], what: string) => {
    const reply = await read();
    if (!codes.includes(reply.code)) throw new SmtpError(`SMTP ${what} refused: ${reply.code} ${reply.text}`);
    return reply;
  };
  const command = async (line: string, codes: number[], what = line.split(' ')[0]!) => {
    socket.write(`${line}\r\n`);
    return expect(codes, what);
  };
  try {
    await expect([220], 'greeting');
    await command(`EHLO ${target.clientName ?? 'headway.local'}`, [250]);
    if (target.username) {
      const token = Buffer.from(`\0${target.username}\0${target.password ?? ''}`, 'utf8').toString('base64');
      await command(`AUTH PLAIN ${token}`, [235], 'AUTH');
    }
    await command(`MAIL FROM:<${address(message.from)}>`, [250]);
    for (const to of message.to) await command(`RCPT TO:<${address(to)}>`, [250, 251]);
    await command('DATA', [354]);
    await command(`${formatMessage(message)}\r\n.`, [250], 'message');
    socket.write('QUIT\r\n');
    await read().catch(() => undefined);
  } finally {
    socket.destroy();
  }
}
