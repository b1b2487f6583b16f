// `hub demo seed`: fictional customers whose ID numbers are those of the ID-card simulator's card
// profiles (native/simulators/profiles.ts: valid check characters), each with orders in every
// state. Clear ID numbers, phones and names live only in this source file: the database gets
// keyed hashes and masked forms. Re-running replaces the demo customers, their orders and their
// fingerprint templates (sealed, see DEMO_FINGERS).
import { ORDER_STATUSES, maskIdNumber, maskName, maskPhone, type OrderStatus } from '../../contracts/identity.ts';
import { nowIso, type HubDb } from '../db/open.ts';
import { identitySecret, keyedHash } from './identity.ts';
import { deleteTemplate, putSealedTemplate, sealTemplate, templateKey } from './fingerprint.ts';
import { createHash } from 'node:crypto';

export const DEMO_CUSTOMERS = [
  { ref: 'C-DEMO-ZHANG', profile: 'zhang', idNumber: '110101199003071233', phone: '13800138001', name: '张小三' },
  { ref: 'C-DEMO-LI', profile: 'li', idNumber: '310104198506124562', phone: '13800138002', name: '李四' },
  { ref: 'C-DEMO-OUYANG', profile: 'ouyang', idNumber: '44030519721130789X', phone: '13800138003', name: '欧阳明月' },
] as const;

/**
 * Fingerprints enrolled by the seed, as the fingerprint simulator makes them
 * (native/simulators/fingerprint.ts fingerTemplate(n)): 张小三 (phone 13800138001) is finger 1,
 * 李四 (13800138002) is finger 2; 欧阳明月 has none (the "no template" case). At the simulator:
 * `place 1`, then identify by fingerprint with 13800138001.
 */
export const DEMO_FINGERS: Readonly<Record<string, number>> = { 'C-DEMO-ZHANG': 1, 'C-DEMO-LI': 2 };

/** The simulator's template of finger n (the hub may not import native/; a test checks they agree). */
export function demoFingerTemplate(finger: number): Buffer {
  const out = Buffer.alloc(512);
  let block = createHash('sha256').update(`finger:${finger}`).digest();
  for (let off = 0; off < out.length; off += block.length) {
    block.copy(out, off, 0, Math.min(block.length, out.length - off));
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

const PRODUCTS = [
  { sku: 'SIM-5G', title: '5G 套餐 SIM 卡', unitPrice: 5000 },
  { sku: 'ROUTER-AX3', title: 'Wi-Fi 6 路由器', unitPrice: 29900 },
  { sku: 'PHONE-CASE', title: '手机保护壳', unitPrice: 3900 },
];

const FLOW: OrderStatus[] = ['placed', 'processing', 'shipped', 'delivered'];

function timelineFor(status: OrderStatus, placedAt: Date): Array<{ at: string; status: OrderStatus; note: string }> {
  const path: OrderStatus[] =
    status === 'cancelled' ? ['placed', 'cancelled'] : FLOW.includes(status) ? FLOW.slice(0, FLOW.indexOf(status) + 1) : [...FLOW, status];
  return path.map((s, i) => ({ at: new Date(placedAt.getTime() + i * 86_400_000).toISOString(), status: s, note: s === 'placed' ? 'order placed and paid' : s }));
}

export async function seedDemo(hub: HubDb, env: NodeJS.ProcessEnv = process.env): Promise<{ customers: number; orders: number }> {
  const secret = await identitySecret(hub.db, env);
  const fingerKey = templateKey(secret);
  let orders = 0;
  await hub.write(async (trx) => {
    for (const c of DEMO_CUSTOMERS) {
      await deleteTemplate(trx, c.ref);
      // Requests on the old demo orders would still count against what the new ones may refund.
      await trx.deleteFrom('order_requests').where('order_id', 'in', trx.selectFrom('orders').select('id').where('customer_id', '=', c.ref)).execute();
      await trx.deleteFrom('orders').where('customer_id', '=', c.ref).execute();
      await trx.deleteFrom('customers').where('id', '=', c.ref).execute();
      await trx
        .insertInto('customers')
        .values({
          id: c.ref,
          id_hash: keyedHash(secret, 'id', c.idNumber),
          id_masked: maskIdNumber(c.idNumber),
          phone_hash: keyedHash(secret, 'phone', c.phone),
          phone_masked: maskPhone(c.phone),
          name_masked: maskName(c.name),
          created_at: nowIso(),
        })
        .execute();
      const finger = DEMO_FINGERS[c.ref];
      if (finger !== undefined) {
        const template = demoFingerTemplate(finger);
        await putSealedTemplate(trx, c.ref, sealTemplate(fingerKey, c.ref, template), 'demo-seed', nowIso());
        template.fill(0);
      }
      let n = 0;
      for (const status of ORDER_STATUSES) {
        n++;
        const product = PRODUCTS[n % PRODUCTS.length]!;
        const quantity = 1 + (n % 2);
        const total = product.unitPrice * quantity + 1000;
        const placedAt = new Date(Date.UTC(2026, 9, n, 2, 0, 0));
        const timeline = timelineFor(status, placedAt);
        await trx
          .insertInto('orders')
          .values({
            id: `${c.ref.slice(2)}-${String(n).padStart(3, '0')}`,
            customer_id: c.ref,
            title: product.title,
            status,
            currency: 'CNY',
            total,
            paid: total,
            refunded: status === 'refunded' ? total : 0,
            items: JSON.stringify([{ ...product, quantity }, { sku: 'SHIPPING', title: '运费', quantity: 1, unitPrice: 1000 }]),
            delivery: JSON.stringify({ address: '示例市示例区演示路 1 号', from: null, to: null }),
            timeline: JSON.stringify(timeline),
            placed_at: placedAt.toISOString(),
            updated_at: timeline[timeline.length - 1]!.at,
          })
          .execute();
        orders++;
      }
    }
  });
  return { customers: DEMO_CUSTOMERS.length, orders };
}
