import '../extension/zod-jitless';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from '../extension/background/hub';

export default defineBackground(() => {
  startBackground(browser, `Headway on ${import.meta.env.FIREFOX ? 'Firefox' : 'Chrome'}`);
});
