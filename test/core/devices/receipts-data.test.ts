// The typed receipt builders (core/devices/receipts-data.ts) against the templates in
// resources/receipts: every builder's data renders its template with nothing missing, names are
// masked, optional lines appear only when given, and no line is wider than the paper.
import { describe, expect, it } from 'vitest';
import { changeReceipt, queueReceipt, refundReceipt, testPageData, ticketReceipt } from '../../../core/devices/receipts-data.ts';
import { decodeEscPos, displayWidth, encodeOps, renderTranscript } from '../../../native/codecs/escpos/index.ts';
import { listReceiptTemplates, renderReceiptTemplate } from '../../../native/drivers/receipts.ts';

const at = new Date(2026, 10, 25, 9, 5);
const transcript = async (template: string, data: Record<string, string | number>) => renderTranscript(decodeEscPos(encodeOps(await renderReceiptTemplate(template, data))));

describe('receipt builders and templates', () => {
  it('there is a change-request template beside the refund one', async () => {
    expect(await listReceiptTemplates()).toEqual(expect.arrayContaining(['change-request', 'refund-request', 'ticket', 'queue-number', 'test-page']));
  });

  it.each([
    ['refund', refundReceipt({ reference: 'RQ-0000000A', orderId: 'O-1', customerName: '欧阳明月', amount: 99.5, reason: '其他 Other', requestedAt: at, branchName: 'B' }), ['RQ-0000000A', '欧**月', '¥99.50', '2026-11-25 09:05']],
    ['change', changeReceipt({ reference: 'MQ-0000000B', orderId: 'O-2', customerName: '李四', change: '取消订单 Cancel', requestedAt: at, branchName: 'B' }), ['MQ-0000000B', '李*', '取消订单']],
    ['ticket', ticketReceipt({ reference: 'T-0000000C', category: '账户 Account', submittedAt: at, branchName: 'B' }), ['T-0000000C', '账户 Account']],
    ['queue', queueReceipt({ queueNumber: 'A023', waiting: 4, issuedAt: at, branchName: 'B', service: '综合 General' }), ['A023', '综合 General']],
  ] as const)('%s: the builder fills every field its template needs', async (_n, entry, expected) => {
    const text = await transcript(entry.template, entry.data);
    for (const s of expected) expect(text).toContain(s);
    expect(text).not.toContain('欧阳明月');
    for (const line of text.split('\n').filter((l) => !l.startsWith('['))) expect(displayWidth(line)).toBeLessThanOrEqual(32);
  });

  it('the QR defaults to the reference; optional lines only when given', async () => {
    const e = changeReceipt({ reference: 'MQ-1', orderId: 'O-2', change: 'x', requestedAt: at, branchName: 'B' });
    expect(e.qr).toBe('MQ-1');
    expect(await transcript(e.template, e.data)).not.toMatch(/客户|New:/u);
    const withAll = changeReceipt({ reference: 'MQ-1', orderId: 'O-2', customerName: '张小三', change: 'x', newValue: 'Room 8', requestedAt: at, branchName: 'B' });
    expect(await transcript(withAll.template, withAll.data)).toMatch(/客户 Customer\s+张\*三[\s\S]*New: Room 8/u);
  });

  it('an already masked name stays as it is; an unknown (empty) name prints no customer line', async () => {
    expect(refundReceipt({ reference: 'R', orderId: 'O', customerName: '张*三', amount: 1, reason: 'r', requestedAt: at, branchName: 'B' }).data.customerName).toBe('张*三');
    const e = refundReceipt({ reference: 'R', orderId: 'O', customerName: '', amount: 1, reason: 'r', requestedAt: at, branchName: 'B' });
    expect(e.data).not.toHaveProperty('customerName');
    expect(await transcript(e.template, e.data)).not.toContain('客户');
  });

  it('the test page data renders the test page', async () => {
    expect(await transcript('test-page', testPageData('Demo', at))).toContain('2026-11-25 09:05');
  });
});
