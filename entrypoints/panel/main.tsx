import { mountPanel } from '../../components/Sidebar/mountPanel';
import '../../components/Sidebar/sidebar.css';

// The side panel beside a CRM tab (Chromium's sidePanel, Firefox's sidebar_action); see components/Sidebar.
mountPanel(document.getElementById('app')!);
