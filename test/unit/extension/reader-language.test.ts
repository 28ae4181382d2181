import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../core/schema';
import { createServerApi, normalizeServerUrl } from '../../../extension/api';
import { answerPageApi } from '../../../extension/background/page-api-handler';
import { backgroundLocale, clientSays, followReader } from '../../../extension/reader-language';

const asRussian = { user: { locale: 'ru' as const } } as never;
const asBrowser = { user: { locale: null } } as never;

// The background words its own texts (failures, notifications, the badge) in its reader's language by the one rule
// every surface follows: the user's setting first, the browser's language without one (issue 17 §1).
describe('the background’s own texts', () => {
  afterEach(() => followReader({ user: null }));

  it('follow the signed-in user’s setting over the browser’s language, and the browser’s without one', () => {
    followReader(asRussian);
    expect(backgroundLocale()).toBe('ru');
    expect(clientSays('notConnected')).toBe('Этот браузер не подключён к серверу Headway. Подключите его в настройках.');
    followReader(asBrowser); // Node has no browser languages: English, as a browser speaking neither would get
    expect(backgroundLocale()).toBe('en');
    expect(clientSays('notConnected')).toBe('This browser is not connected to a Headway server. Open the settings to connect.');
  });

  it('word an unreachable server and an unreadable answer in the reader’s language', async () => {
    followReader(asRussian);
    const down = createServerApi({ baseUrl: 'http://127.0.0.1:1', fetch: () => Promise.reject(new TypeError('refused')) });
    await expect(down.healthz()).rejects.toMatchObject({ kind: 'unreachable', message: 'Сервер Headway по адресу http://127.0.0.1:1 не отвечает. Проверьте адрес и что сервер запущен.' });
    const odd = createServerApi({ baseUrl: 'http://h', fetch: async () => new Response('<html>', { status: 502 }) });
    await expect(odd.healthz()).rejects.toMatchObject({ kind: 'rejected', message: 'Сервер ответил кодом 502.' });
  });

  it('show the server’s own refusal as the server worded it', async () => {
    followReader(asRussian);
    const refusal: ApiError = { error: 'forbidden', message: 'Only admins may do that.' };
    const api = createServerApi({ baseUrl: 'http://h', fetch: async () => Response.json(refusal, { status: 403 }) });
    await expect(api.me()).rejects.toMatchObject({ kind: 'rejected', message: 'Only admins may do that.' });
  });

  it('tell a page in the reader’s language that the browser is not connected', async () => {
    followReader(asRussian);
    const answer = await answerPageApi({ session: async () => null, check: async () => undefined as never }, { type: 'api-get', path: '/api/progress?period=month&kind=sale' });
    expect(answer).toEqual({ ok: false, message: 'Этот браузер не подключён к серверу Headway. Подключите его в настройках.', status: null });
  });

  it('check a typed server address in the language of the page that asks', () => {
    expect(normalizeServerUrl('ftp://files.example.com', 'ru')).toEqual({ ok: false, message: 'Адрес сервера должен начинаться с https:// (или http:// во внутренней сети).' });
    expect(normalizeServerUrl('', 'en')).toEqual({ ok: false, message: 'Enter the address of your Headway server, such as https://headway.example.com.' });
  });
});
