import '../../extension/zod-jitless';
import { render } from 'preact';
import { OptionsPage } from '../../components/Connection/OptionsPage';
import '../../components/Connection/pages.css';

render(<OptionsPage />, document.getElementById('app')!);
