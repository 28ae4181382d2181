import '../../extension/zod-jitless';
import { render } from 'preact';
import { EscalateWindow } from '../../components/Escalation/EscalateWindow';
import '../../components/Connection/pages.css';
import '../../components/Escalation/escalation.css';

render(<EscalateWindow id={new URLSearchParams(location.search).get('id') ?? ''} />, document.getElementById('app')!);
