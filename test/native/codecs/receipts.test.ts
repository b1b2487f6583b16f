import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReceiptTemplate } from '../../../contracts/device-receipt.ts';
import { decodeEscPos, encodeOps, renderReceipt, renderTranscript, templateFields, wrapText, displayWidth } from '../../../native/codecs/escpos/index.ts';
import { listReceiptTemplates, loadReceiptTemplate, renderReceiptTemplate } from '../../../native/drivers/receipts.ts';

const SAMPLE: Record<string, Record<string, string>> = {
  'queue-number': { branchName: '示例银行 中关村支行', queueNumber: 'A023', waiting: '5', issuedAt: '2024-05-01 09:30' },
  ticket: { branchName: 'Demo Branch', reference: 'T-2024-0042', category: '账户 Account', submittedAt: '2024-05-01 09:31', trackUrl: 'https://kiosk.example/t/T-2024-0042' },
  'refund-request': { branchName: '示例网点', reference: 'R-2024-0007', orderNumber: 'O-99812', amount: '¥128.00', reason: '商品损坏', requestedAt: '2024-05-01 10:02', trackUrl: 'https://kiosk.example/r/R-2024-0007' },
  'test-page': { branchName: '示例网点', printedAt: '2024-05-01 10:00', qrData: 'https://kiosk.example/test', testId: '001' },
};

describe('receipt templates in resources/receipts', () => {
  it('are the five the product needs, and all valid', async () => {
    expect(await listReceiptTemplates()).toEqual(['change-request', 'queue-number', 'refund-request', 'test-page', 'ticket']);
    for (const id of await listReceiptTemplates()) expect((await loadReceiptTemplate(id)).id).toBe(id);
  });

  it.each(Object.keys(SAMPLE))('%s renders to ESC/POS whose transcript shows the data, a QR/barcode where due and a cut', async (id) => {
    const ops = await renderReceiptTemplate(id, SAMPLE[id]!);
    const transcript = renderTranscript(decodeEscPos(encodeOps(ops)));
    for (const v of Object.values(SAMPLE[id]!)) {
      if (v.startsWith('https://')) expect(transcript).toContain(`] ${v}`);
      else expect(transcript).toContain(v);
    }
    expect(transcript.trimEnd()).toMatch(/\[(PARTIAL )?CUT\]$/u);
    // no line wider than the paper
    for (const line of transcript.split('\n').filter((l) => !l.startsWith('['))) expect(displayWidth(line)).toBeLessThanOrEqual(32);
  });

  it('refuses to render with missing fields, naming them', async () => {
    await expect(renderReceiptTemplate('refund-request', { branchName: 'x' })).rejects.toThrow(/needs: amount, orderNumber, reason, reference, requestedAt, trackUrl/u);
    await expect(loadReceiptTemplate('../etc/passwd')).rejects.toThrow(expect.objectContaining({ code: 'receipt-unknown' }));
    await expect(loadReceiptTemplate('nope')).rejects.toThrow(expect.objectContaining({ code: 'receipt-unknown' }));
  });

  it('reports an invalid template with the path of the problem', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'receipts-'));
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ id: 'bad', blocks: [{ type: 'qr', data: 'x', size: 99 }] }));
    await expect(loadReceiptTemplate('bad', dir)).rejects.toThrow(/blocks\.0\.size/u);
  });

  it('optional blocks print only when their field is present; pairs align right', () => {
    const t = ReceiptTemplate.parse({ id: 't', width: 20, blocks: [{ type: 'pair', label: '号码', value: '{{n}}' }, { type: 'text', text: 'note: {{note}}', when: 'note' }] });
    expect(templateFields(t)).toEqual({ required: ['n'], optional: ['note'] });
    expect(renderTranscript(renderReceipt(t, { n: 'A1' }))).toBe('号码              A1');
    expect(renderTranscript(renderReceipt(t, { n: 'A1', note: 'hi' }))).toBe('号码              A1\nnote: hi');
  });

  it('customer text cannot inject commands through a placeholder', () => {
    const t = ReceiptTemplate.parse({ id: 't', blocks: [{ type: 'text', text: '{{comment}}' }] });
    const ops = decodeEscPos(encodeOps(renderReceipt(t, { comment: 'hi\x1dV\x00\x1bp\x00' })));
    expect(ops.filter((o) => o.op === 'cut' || o.op === 'unknown')).toEqual([]);
  });

  it('wraps by display width, CJK counting two', () => {
    expect(wrapText('一二三四五六', 8)).toEqual(['一二三四', '五六']);
    expect(wrapText('hello world foo', 11)).toEqual(['hello world', 'foo']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
});
