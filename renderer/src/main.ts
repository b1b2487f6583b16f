// Renderer entry: Vue + Pinia + vue-i18n, the bundled Chinese font (no CJK system fonts on kiosk images),
// the kiosk API client, the watchdog heartbeat and the core's session-ended event.
import './zod-config.ts';
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import './styles.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { installI18n } from './i18n.ts';
import { kiosk } from './api/kiosk.ts';
import { useAppStore } from './stores/app.ts';
import { useSessionStore } from './stores/session.ts';

const HEARTBEAT_MS = 5000;

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
installI18n(app, () => useAppStore(pinia).locale);
app.mount('#app');

const api = kiosk();
void useAppStore().hydrate().catch((err: unknown) => (useAppStore().error = String(err)));
api.on('session.ended', () => useSessionStore().wipe());
api.on('sync.status', (s) => useAppStore().syncStatus(s.online));
const beat = () => void api.call('app.heartbeat', { at: Date.now() }).catch(() => {});
beat();
setInterval(beat, HEARTBEAT_MS);
// No context menu, no pinch zoom, no text selection drag on a touch kiosk.
window.addEventListener('contextmenu', (e) => e.preventDefault());
window.addEventListener('wheel', (e) => e.ctrlKey && e.preventDefault(), { passive: false });
window.addEventListener('selectstart', (e) => {
  if (!(e.target instanceof HTMLInputElement)) e.preventDefault();
});
