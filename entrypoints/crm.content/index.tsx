import { firstState } from './start';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { mountSidebar } from '../../components/Sidebar/mountSidebar';
import firstFrame from '../../components/Sidebar/sidebar.css?inline';
import details from '../../components/Sidebar/sidebar-details.css?inline';

// Registered at run time by the background for configured CRM origins and known SaaS CRM hosts the
// user granted; see extension/content-scripts.ts. CSS is inlined so no web-accessible file is needed.
export default defineContentScript({
  registration: 'runtime',
  cssInjectionMode: 'manual',
  main(ctx) {
    void mountSidebar(ctx, { firstFrame, details }, firstState);
  },
});
