// Which screen is showing, in which language and display mode, and what the core says about itself.
import { defineStore } from 'pinia';
import type { AppInfo } from '../../../contracts/kiosk-api.ts';
import type { Locale } from '../../../contracts/kb-bundle.ts';
import type { KioskClient } from '../../../contracts/kiosk-api-client.ts';
import { kiosk } from '../api/kiosk.ts';

/** The core's 'app.info' event (central configuration changed); subscribed by hydrate(), once per client. */
let infoSubscription: { client: KioskClient; off: () => void } | undefined;

export type Screen = 'attract' | 'home' | 'help' | 'article' | 'assistant' | 'rating' | 'ticket' | 'identify' | 'orders' | 'order' | 'queue';

export const useAppStore = defineStore('app', {
  state: () => ({
    info: null as AppInfo | null,
    screen: 'attract' as Screen,
    locale: 'zh-CN' as Locale,
    largeText: false,
    highContrast: false,
    /** Where Back from an article goes. */
    articleFrom: 'help' as 'help' | 'assistant',
    error: null as string | null,
    /** false while a configured hub cannot be reached (offline banner); null: no hub, nothing to say. */
    hubOnline: null as boolean | null,
  }),
  actions: {
    async hydrate() {
      if (infoSubscription?.client !== kiosk()) {
        infoSubscription?.off();
        infoSubscription = { client: kiosk(), off: kiosk().on('app.info', (info) => this.infoChanged(info)) };
      }
      this.info = await kiosk().call('app.info');
      this.locale = this.info.defaultLocale;
      if (this.info.features.sync) {
        const s = await kiosk().call('sync.status');
        // Before the first attempt there is no verdict yet: no banner.
        if (s.lastSyncAt || s.error) this.hubOnline = s.online;
      }
    },
    /**
     * New configuration from the hub: tiles of switched-off features go, the idle timer reads the
     * new timeouts at its next start. The language changes only on the attract screen — never
     * under a customer (a session reset picks up the new default anyway).
     */
    infoChanged(info: AppInfo) {
      this.info = info;
      if (this.screen === 'attract') this.locale = info.defaultLocale;
    },
    /** The core's sync.status event. */
    syncStatus(online: boolean) {
      if (this.info?.features.sync) this.hubOnline = online;
    },
    go(screen: Screen) {
      this.screen = screen;
    },
    toggleLargeText() {
      this.largeText = !this.largeText;
    },
    toggleHighContrast() {
      this.highContrast = !this.highContrast;
    },
    toggleLocale() {
      this.locale = this.locale === 'zh-CN' ? 'en' : 'zh-CN';
    },
    /** Session reset: everything back to the start (language, large text, contrast), except what the core told us about itself. */
    dehydrate() {
      const info = this.info;
      const hubOnline = this.hubOnline;
      this.$reset();
      this.info = info;
      this.hubOnline = hubOnline;
      if (info) this.locale = info.defaultLocale;
    },
  },
});
