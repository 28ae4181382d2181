// The yardstick for the side panel's first paint: the smallest honest Preact + signals extension page in a side
// panel, showing a record's title it already has (no message to wait for). Built in the same bench run as the
// extension, with the same bundler settings; its navigation start → `bare:painted` is the baseline.
import { render } from 'preact';
import { signal } from '@preact/signals';

const title = signal('Pinnacle Retail Group – Office furniture refit');

function BarePanel() {
  return (
    <aside>
      <h1 data-testid="record-title">{title}</h1>
    </aside>
  );
}

render(<BarePanel />, document.getElementById('app')!);
requestAnimationFrame(() => setTimeout(() => performance.mark('bare:painted')));
