import '../../extension/zod-jitless';
import { render } from 'preact';
import { PopupPanel } from '../../components/Connection/PopupPanel';
import '../../components/Connection/pages.css';

render(<PopupPanel />, document.getElementById('app')!);
