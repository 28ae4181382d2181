import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket, createServer as createTlsServer } from 'node:tls';

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
  /** Header fields of the message, lower-cased names, folded lines joined. */
  headers: Record<string, string>;
  /** The text, decoded from its transfer encoding (quoted-printable or base64). */
  body: string;
  /** Whether the message came over TLS (after STARTTLS). */
  secure: boolean;
  /** The user who logged in, if anyone did. */
  user: string | null;
}

export interface SinkOptions {
  /** Offer STARTTLS with this key and certificate. */
  starttls?: { key: string; cert: string };
  /** Speak TLS from the first byte (as on port 465) with this key and certificate. */
  implicitTls?: { key: string; cert: string };
  /** Offer AUTH PLAIN and LOGIN, accepting only this user and password. */
  login?: { user: string; password: string };
}

/** A transfer-encoded body as the text it carries. */
function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding?.toLowerCase() === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding?.toLowerCase() !== 'quoted-printable') return body;
  const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => `%${hex}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
}

/** A header value with its RFC 2047 encoded words decoded. */
function decodeHeader(value: string): string {
  return value.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeBody(text.replace(/_/g, ' '), 'quoted-printable'),
  ).trim();
}

/**
 * A small SMTP sink (RFC 5321, with STARTTLS and AUTH PLAIN/LOGIN when asked) on 127.0.0.1 that records each message
 * it accepts; a login it does not know is refused with 535.
 */
export async function smtpSink(options: SinkOptions = {}) {
  const messages: ReceivedMail[] = [];
  const logins: Array<{ user: string; accepted: boolean }> = [];
  const session = (plain: Socket) => {
    let socket: Socket = plain;
    let secure = options.implicitTls !== undefined;
    let user: string | null = null;
    let buffer = '';
    let inData = false;
    let loginStep: 'user' | 'password' | null = null;
    let loginUser = '';
    let current: { from: string; to: string[] } = { from: '', to: [] };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    const checkLogin = (name: string, password: string) => {
      const accepted = options.login !== undefined && name === options.login.user && password === options.login.password;
      logins.push({ user: name, accepted });
      if (accepted) user = name;
      reply(accepted ? '235 2.7.0 accepted' : '535 5.7.8 Authentication credentials invalid');
    };
    const onData = (chunk: string) => {
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
          for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
            const colon = line.indexOf(':');
            if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = decodeHeader(line.slice(colon + 1));
          }
          messages.push({ ...current, data, headers, body: decodeBody(rest.join('\r\n\r\n'), headers['content-transfer-encoding']), secure, user });
          current = { from: '', to: [] };
          reply('250 2.0.0 queued');
          continue;
        }
        const newline = buffer.indexOf('\r\n');
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        if (loginStep === 'user') {
          loginUser = Buffer.from(line, 'base64').toString('utf8');
          loginStep = 'password';
          reply('334 UGFzc3dvcmQ6');
          continue;
        }
        if (loginStep === 'password') {
          loginStep = null;
          checkLogin(loginUser, Buffer.from(line, 'base64').toString('utf8'));
          continue;
        }
        const verb = line.split(' ')[0]!.toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') {
          const extensions = ['8BITMIME', ...(options.starttls && !secure ? ['STARTTLS'] : []), ...(options.login ? ['AUTH PLAIN LOGIN'] : [])];
          reply(['sink.test', ...extensions].map((text, index, all) => `250${index === all.length - 1 ? ' ' : '-'}${text}`).join('\r\n'));
        } else if (verb === 'STARTTLS' && options.starttls && !secure) {
          reply('220 2.0.0 ready to start TLS');
          plain.removeListener('data', onData);
          const upgraded = new TLSSocket(plain, { isServer: true, key: options.starttls.key, cert: options.starttls.cert });
          upgraded.setEncoding('utf8');
          upgraded.on('data', onData);
          upgraded.on('error', () => undefined);
          socket = upgraded;
          secure = true;
          buffer = '';
        } else if (verb === 'AUTH' && options.login) {
          const [, mechanism = '', initial] = line.split(' ');
          if (mechanism.toUpperCase() === 'PLAIN' && initial) {
            const [, name = '', password = ''] = Buffer.from(initial, 'base64').toString('utf8').split('\0');
            checkLogin(name, password);
          } else if (mechanism.toUpperCase() === 'LOGIN') {
            loginStep = 'user';
            reply('334 VXNlcm5hbWU6');
          } else reply('504 5.5.4 mechanism not supported');
        } else if (verb === 'MAIL') {
          if (options.login && user === null) {
            reply('530 5.7.0 authentication required');
            continue;
          }
          current.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          reply('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          current.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          reply('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'RSET' || verb === 'NOOP') reply('250 2.0.0 ok');
        else if (verb === 'QUIT') {
          reply('221 2.0.0 bye');
          socket.end();
          return;
        } else reply('502 5.5.2 not implemented');
      }
    };
    plain.setEncoding('utf8');
    plain.on('data', onData);
    plain.on('error', () => undefined);
    reply('220 sink.test ESMTP ready');
  };
  const server = options.implicitTls ? createTlsServer(options.implicitTls, session) : createTcpServer(session);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as AddressInfo).port,
    messages,
    logins,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** A key and a self-signed certificate for 127.0.0.1, made by openssl for this test run. */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'headway-smtp-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
