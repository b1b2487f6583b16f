// Imported first by main.ts, before any schema exists: zod must not probe or use new Function()
// (the CSP forbids eval, and even the caught probe is reported as a violation).
import { z } from 'zod';

z.config({ jitless: true });
