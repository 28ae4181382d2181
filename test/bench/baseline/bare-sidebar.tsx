// The yardstick for "bytes injected into a CRM page": the smallest honest Preact + signals sidebar in a shadow root.
// Built in the same bench run as the real content script, with the same bundler settings.
import './bare-start';
import { render } from 'preact';
import { signal } from '@preact/signals';
const collapsed = signal(false);
const title = signal(document.title);

function BareSidebar() {
  return (
    <aside class={collapsed.value ? 'collapsed' : ''}>
      <button type="button" onClick={() => (collapsed.value = !collapsed.value)}>
        {collapsed.value ? 'Open' : 'Close'}
      </button>
      <h1>{title}</h1>
    </aside>
  );
}

const host = document.createElement('bare-sidebar');
const shadow = host.attachShadow({ mode: 'open' });
const style = document.createElement('style');
style.textContent = 'aside{position:fixed;top:0;right:0;width:300px;height:100vh;background:#fff;font:14px system-ui}' +
  '.collapsed{width:24px}h1{font-size:16px;margin:12px}button{margin:8px}';
const root = document.createElement('div');
shadow.append(style, root);
document.documentElement.append(host);
render(<BareSidebar />, root);
requestAnimationFrame(() => setTimeout(() => performance.mark('bare:painted')));
