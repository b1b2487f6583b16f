// The route index of docs/hub-api.md, generated from the route table (scripts/hub-api-doc.ts
// writes it; test/hub/route-table.test.ts fails when the page and the table disagree).
import { HUB_AREAS, openApiPath, type RouteAuth, type RouteSpec } from '../../contracts/hub-routes/index.ts';

export const INDEX_BEGIN = '<!-- route-index:begin (generated from contracts/hub-routes/ by `npx tsx scripts/hub-api-doc.ts`) -->';
export const INDEX_END = '<!-- route-index:end -->';

const who = (auth: RouteAuth) => (auth.kind === 'public' ? 'public' : auth.kind === 'kiosk' ? 'kiosk token' : `user: ${auth.roles.join(', ')}`);
const cell = (text: string) => text.replace(/\|/g, '\\|');

export function routeIndexMarkdown(): string {
  const rows = ['| route id | method & path | auth | what |', '|---|---|---|---|'];
  for (const routes of Object.values(HUB_AREAS)) {
    for (const [id, spec] of Object.entries(routes) as Array<[string, RouteSpec]>) {
      rows.push(`| \`${id}\` | \`${spec.method} ${openApiPath(spec.path)}\` | ${who(spec.auth)} | ${cell(spec.summary)} |`);
    }
  }
  return [INDEX_BEGIN, ...rows, INDEX_END].join('\n');
}

/** The page with its index block replaced by the table's. */
export function withRouteIndex(page: string): string {
  const start = page.indexOf(INDEX_BEGIN);
  const end = page.indexOf(INDEX_END);
  if (start < 0 || end < start) throw new Error('docs/hub-api.md has no route index block');
  return page.slice(0, start) + routeIndexMarkdown() + page.slice(end + INDEX_END.length);
}
