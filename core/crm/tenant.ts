import type { CrmAdapter } from './types';

/**
 * The match pattern of the host an origin or URL is on: what the extension asks the browser for and where its
 * content script runs. The port is dropped on purpose: Firefox match patterns cannot carry one, and Chromium's
 * match every port; the page's exact tenant is still checked (detectRecord) before anything is shown or sent.
 */
export function hostPattern(origin: string | URL): string {
  const url = typeof origin === 'string' ? new URL(origin) : origin;
  return `${url.protocol}//${url.hostname}/*`;
}

/** Whether a pattern made by hostPattern covers the page at `url`. */
export function hostPatternCovers(pattern: string, url: URL): boolean {
  return pattern === hostPattern(url);
}

/**
 * The tenant rule of a CRM where each tenant has a host of its own ({company}.pipedrive.com, a Dynamics org, a
 * Bitrix24 portal, a self-hosted origin): the URL's origin is the instance, and that one host shows it.
 */
export const tenantPerHost: Pick<CrmAdapter, 'instanceOf' | 'instanceHosts'> = {
  instanceOf: (url) => url.origin,
  instanceHosts: (instance) => [hostPattern(instance)],
};
