// `hub demo seed`: demo customers (the ID-card simulator's card profiles) with orders in every state.
import { seedDemo } from '../../identity/demo.ts';
import { line, unknownCommand, type HubCommand } from '../io.ts';

export const run: HubCommand = async ({ p, o, io, open }) => {
  if (p[1] !== 'seed') throw unknownCommand(p);
  const r = await seedDemo(await open(), io.env);
  line(io.stdout, o.json ? JSON.stringify(r) : `demo: ${r.customers} customers (the ID-card simulator's card profiles), ${r.orders} orders in every state`);
  return 0;
};
