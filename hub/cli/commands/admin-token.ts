// `hub admin-token`: a new shared admin token (role admin), printed once; the hub keeps its hash.
import { setAdminToken } from '../../fleet/kiosks.ts';
import { line, type HubCommand } from '../io.ts';

export const run: HubCommand = async ({ io, open }) => {
  const token = await setAdminToken(await open());
  line(io.stdout, token);
  line(io.stderr, 'hub: this is the admin API token; it is not shown again (the hub keeps only its hash).');
  return 0;
};
