/**
 * Hosts of SaaS CRMs, from /work/shared/crm-reference.md. They are host permissions in the manifest (the
 * extension is useless on a CRM it cannot read), and the background registers the CRM content script on the
 * ones the user has not withheld. Broad wildcards are deliberate: adapters' matchesHost() narrows them.
 */
export const SAAS_CRM_MATCHES: readonly string[] = [
  // Salesforce: Lightning, My Domain, classic pods, sandboxes, government and China clouds
  'https://*.force.com/*',
  'https://*.salesforce.com/*',
  'https://*.salesforce.mil/*',
  'https://*.sfcrmapps.cn/*',
  'https://*.mcas.ms/*',
  // HubSpot: app.hubspot.com and regional app-eu1 / app-na2 hosts
  'https://*.hubspot.com/*',
  'https://*.pipedrive.com/*',
  // Zoho CRM per data centre, sandboxes included
  'https://*.zoho.com/*',
  'https://*.zoho.eu/*',
  'https://*.zoho.in/*',
  'https://*.zoho.com.au/*',
  'https://*.zoho.jp/*',
  'https://*.zoho.com.cn/*',
  'https://*.zoho.ca/*',
  'https://*.zoho.sa/*',
  'https://*.dynamics.com/*',
  'https://*.odoo.com/*',
  'https://*.twenty.com/*',
  'https://*.myfreshworks.com/*',
  'https://*.freshsales.io/*',
  'https://app.close.com/*',
  'https://app.copper.com/*',
  'https://app.prosperworks.com/*',
  'https://*.monday.com/*',
  'https://*.bitrix24.com/*',
  'https://*.bitrix24.de/*',
  'https://*.bitrix24.eu/*',
  'https://*.bitrix24.es/*',
  'https://*.bitrix24.fr/*',
  'https://*.bitrix24.it/*',
  'https://*.bitrix24.pl/*',
  'https://*.bitrix24.com.br/*',
  'https://*.bitrix24.in/*',
  'https://*.bitrix24.ru/*',
];
