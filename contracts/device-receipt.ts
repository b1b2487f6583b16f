// Receipt templates (resources/receipts/*.json): data-driven layouts the printer driver renders into
// ESC/POS. Text may hold {{field}} placeholders; a block with `when` prints only if that field has a
// value. Validated on load, so a broken template fails at start-up, not at the customer's receipt.
import { z } from 'zod';

const Placeholdered = z.string().max(2000);
const Align = z.enum(['left', 'center', 'right']);
const When = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/).optional();

export const ReceiptBlock = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    text: Placeholdered,
    align: Align.optional(),
    bold: z.boolean().optional(),
    size: z.tuple([z.number().int().min(1).max(8), z.number().int().min(1).max(8)]).optional(),
    when: When,
  }),
  z.object({ type: z.literal('pair'), label: Placeholdered, value: Placeholdered, when: When }),
  z.object({ type: z.literal('rule'), char: z.string().length(1).optional(), when: When }),
  z.object({
    type: z.literal('qr'),
    data: Placeholdered,
    size: z.number().int().min(1).max(16).optional(),
    ecc: z.enum(['L', 'M', 'Q', 'H']).optional(),
    align: Align.optional(),
    when: When,
  }),
  z.object({ type: z.literal('code128'), data: Placeholdered, align: Align.optional(), when: When }),
  z.object({ type: z.literal('feed'), lines: z.number().int().min(0).max(255), when: When }),
  z.object({ type: z.literal('cut'), partial: z.boolean().optional() }),
]);
export type ReceiptBlock = z.infer<typeof ReceiptBlock>;

export const ReceiptTemplate = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  description: z.string().max(500).optional(),
  /** Characters per line in font A: 32 on 58 mm paper, 48 on 80 mm. */
  width: z.number().int().min(16).max(64).default(32),
  blocks: z.array(ReceiptBlock).min(1).max(200),
});
export type ReceiptTemplate = z.infer<typeof ReceiptTemplate>;

export const ReceiptData = z.record(z.string(), z.union([z.string(), z.number()]));
export type ReceiptData = z.infer<typeof ReceiptData>;
