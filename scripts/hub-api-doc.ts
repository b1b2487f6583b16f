// Rewrites the route index in docs/hub-api.md from the route table (contracts/hub-routes/).
import { readFileSync, writeFileSync } from 'node:fs';
import { withRouteIndex } from '../hub/server/route-index.ts';

const file = new URL('../docs/hub-api.md', import.meta.url);
writeFileSync(file, withRouteIndex(readFileSync(file, 'utf8')));
console.log('docs/hub-api.md: route index written');
