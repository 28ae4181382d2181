import '../../extension/zod-jitless';
import { PopupPanel } from '../../components/Connection/PopupPanel';
import { renderInLanguage } from '../../components/page-language';
import '../../components/Connection/pages.css';

renderInLanguage(<PopupPanel />, document.getElementById('app')!);
