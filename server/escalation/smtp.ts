import { createTransport } from 'nodemailer';
import type { SmtpTls } from '../../core/schema';

/*
 * E-mail goes out through nodemailer's SMTP transport: implicit TLS or STARTTLS (required, or taken when the server
 * offers it), AUTH, MIME and header encoding are its. What is ours is around it: the outbox, its retries and the
 * recipient's language (deliver.ts, events.ts), and failures worded so an admin reading the outbox knows what to fix.
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
  /** implicit: TLS from the first byte (port 465); starttls: upgrade or fail; opportunistic: upgrade when offered. */
  tls?: SmtpTls;
  username?: string | null;
  password?: string | null;
  /** Name sent with EHLO. */
  clientName?: string;
  timeoutMs?: number;
  /** Certificates to trust besides the system's (a company's own CA; a test's self-signed one). */
  ca?: string;
}

export class SmtpError extends Error {}

function address(value: string): string {
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(value)) throw new SmtpError(`Not an e-mail address: ${value}`);
  return value;
}

/** nodemailer's failure as one line for the outbox's last error, saying which step failed. */
function failure(error: unknown, target: SmtpTarget): SmtpError {
  const { code, response, message } = error as { code?: string; response?: string; message?: string };
  const answer = response ?? message ?? String(error);
  const server = `${target.host}:${target.port}`;
  // A certificate refused during the handshake comes as a socket error.
  const tlsFailed = code === 'ETLS' || (code === 'ESOCKET' && /certificate|tls|ssl|handshake/i.test(answer));
  if (tlsFailed) return new SmtpError(`Could not start TLS with the SMTP server ${server}: ${answer}`);
  switch (code) {
    case 'EAUTH':
    case 'ENOAUTH':
      return new SmtpError(`The SMTP server ${server} refused the login of ${target.username ?? '(no username)'}: ${answer}`);
    case 'EENVELOPE':
      return new SmtpError(`The SMTP server ${server} refused the sender or recipients: ${answer}`);
    case 'ETIMEDOUT':
      return new SmtpError(`The SMTP server ${server} did not answer in time.`);
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'EDNS':
      return new SmtpError(`Could not reach the SMTP server ${server}: ${answer}`);
    default:
      return new SmtpError(`The SMTP server ${server} refused the message: ${answer}`);
  }
}

export async function sendMail(target: SmtpTarget, message: SmtpMessage): Promise<void> {
  if (message.to.length === 0) throw new SmtpError('No recipients.');
  const tls = target.tls ?? 'opportunistic';
  const timeoutMs = target.timeoutMs ?? 15_000;
  const transport = createTransport({
    host: target.host,
    port: target.port,
    secure: tls === 'implicit',
    requireTLS: tls === 'starttls',
    name: target.clientName ?? 'headway.local',
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    ...(target.username ? { auth: { user: target.username, pass: target.password ?? '' } } : {}),
    ...(target.ca ? { tls: { ca: target.ca } } : {}),
  });
  try {
    await transport.sendMail({
      from: address(message.from),
      to: message.to.map(address),
      subject: message.subject,
      text: message.text,
      date: message.date,
      messageId: `<${message.messageId.replace(/[<>\s]/g, '')}>`,
    });
  } catch (error) {
    throw failure(error, target);
  } finally {
    transport.close();
  }
}
