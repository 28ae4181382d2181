import { html, raw, type SafeHtml } from '../../http/html';
import type { CrmWords } from './words';

// Looks like SuiteCRM 7's SuiteP theme closely enough that the sidebar is shown on a believable, busy page.
const styles = `
*{box-sizing:border-box}body{margin:0;font:13px/1.45 "Lato","Helvetica Neue",Arial,sans-serif;color:#333;background:#f5f5f5}
a{color:#0f6fa8;text-decoration:none}a:hover{text-decoration:underline}
.navbar{display:flex;align-items:center;gap:6px;height:50px;padding:0 14px;background:#534d64;color:#fff}
.navbar .brand{font-weight:700;font-size:17px;letter-spacing:.3px;margin-right:18px;color:#fff}
.navbar .brand small{font-weight:400;opacity:.7;font-size:11px;margin-left:4px}
.navbar .tab{color:#e5e1ef;padding:15px 10px;text-transform:uppercase;font-size:12px;letter-spacing:.4px}
.navbar .tab.current{background:#3f3a4f;color:#fff}
.navbar .spacer{flex:1}.navbar input{border:0;border-radius:3px;padding:6px 9px;width:190px;font-size:12px}
.navbar .user{margin-left:12px;font-size:12px;opacity:.9}
.page{padding:16px 22px}
.breadcrumb{font-size:11px;color:#888;margin-bottom:6px;text-transform:uppercase;letter-spacing:.3px}
.moduleTitle{display:flex;align-items:center;justify-content:space-between;margin-bottom:12px}
h2.module-title-text{margin:0;font-size:22px;font-weight:400;color:#534d64}
.buttons button{background:#f08377;color:#fff;border:0;border-radius:3px;padding:7px 12px;margin-left:4px;font-size:12px;text-transform:uppercase}
.buttons button.secondary{background:#778591}
.panel{background:#fff;border:1px solid #e2e2e2;border-radius:2px;margin-bottom:14px}
.panel-heading{padding:9px 12px;border-bottom:1px solid #e2e2e2;font-weight:700;text-transform:uppercase;font-size:12px;color:#534d64;background:#fafafa}
.tabs{display:flex;border-bottom:1px solid #e2e2e2}.tabs span{padding:9px 14px;font-size:12px;text-transform:uppercase;color:#777}
.tabs span.active{color:#534d64;border-bottom:3px solid #f08377;font-weight:700}
.detail-grid{display:grid;grid-template-columns:1fr 1fr;gap:0 28px;padding:8px 14px}
.detail-row{display:grid;grid-template-columns:160px 1fr;padding:7px 0;border-bottom:1px solid #f0f0f0}
.detail-label{color:#777;font-size:12px}.detail-view-field{min-height:18px}
table.list{width:100%;border-collapse:collapse;background:#fff}
table.list th{text-align:left;font-size:11px;text-transform:uppercase;color:#777;padding:8px;border-bottom:2px solid #e2e2e2;background:#fafafa}
table.list td{padding:7px 8px;border-bottom:1px solid #eee;vertical-align:top}
table.list tr:nth-child(even) td{background:#fcfcfc}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:11px;background:#eceaf2;color:#534d64}
.badge.won{background:#dff3e3;color:#2c7a3f}.badge.lost{background:#f8e0dd;color:#a2392c}
.muted{color:#999}.footer{color:#aaa;font-size:11px;padding:12px 22px}
`;

const tabs = ['Home', 'Accounts', 'Contacts', 'Opportunities', 'Leads', 'Quotes', 'Calendar', 'Reports'] as const;

/** Who the demo CRM shows as signed in, and whose demo it is. */
export interface CrmFrame {
  words: CrmWords;
  workspace: string;
  user: string;
}

export function page(title: string, currentTab: (typeof tabs)[number], body: SafeHtml, { words, workspace, user }: CrmFrame): string {
  return `<!doctype html>${html`<html lang="${words.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} » SuiteCRM</title>
<style>${raw(styles)}</style>
</head>
<body>
<nav class="navbar">
  <a class="brand" href="/demo/">SuiteCRM<small>${words.demo.replace('{workspace}', workspace)}</small></a>
  ${tabs.map((tab) => html`<a class="tab${tab === currentTab ? ' current' : ''}" href="${tabHref(tab)}">${words.tabs[tab]}</a>`)}
  <span class="spacer"></span>
  <input type="search" placeholder="${words.search}" aria-label="${words.search}">
  <span class="user">${user} ▾</span>
</nav>
<main class="page">${body}</main>
<div class="footer">${words.footer}</div>
</body>
</html>`}`;
}

function tabHref(tab: (typeof tabs)[number]): string {
  if (tab === 'Opportunities') return '/demo/index.php?module=Opportunities&action=index';
  if (tab === 'Accounts') return '/demo/index.php?module=Accounts&action=index';
  return '#';
}
