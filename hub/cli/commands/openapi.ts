// `hub openapi`: the OpenAPI document generated from the route table (what /v1/openapi.json serves).
import { buildOpenApi } from '../../server/openapi.ts';
import { line, type HubCommand } from '../io.ts';

export const run: HubCommand = async ({ io }) => {
  line(io.stdout, JSON.stringify(buildOpenApi(), null, 2));
  return 0;
};
