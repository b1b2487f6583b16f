// Imported first by main.ts and by api/kiosk.ts (the client), before any schema is used: zod must not probe or use new Function()
// (the CSP forbids eval, and even the caught probe is reported as a violation).
import { z } from 'zod';

z.config({ jitless: true });
