// Receipts in the running kiosk: print.receipt prints a reference this customer session produced
// on the simulated printer over a real pty; paper out / cover open → printed:false with the QR text
// for the screen; unknown references and references of an earlier session → not_found; the staff
// test page; only masked personal data ever reaches the paper.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changeReceipt, refundReceipt } from '../../../core/devices/receipts-data.ts';
import { findProfile } from '../../../native/simulators/profiles.ts';
import { allConnected, simulatedDevices, startKiosk, until } from './harness.ts';

const zhang = findProfile('zhang')!;
const refund = (reference: string) =>
  refundReceipt({ reference, orderId: 'DEMO-ZHANG-003', customerName: zhang.name, amount: 128, reason: '商品损坏 Damaged', requestedAt: new Date(2026, 10, 25, 14, 3), branchName: '示例网点 Demo', qr: `https://kiosk.example/r/${reference}` });

async function kioskWithPrinter() {
  const devices = await simulatedDevices();
  const k = startKiosk(devices.env);
  await allConnected(k);
  await k.call('session.start');
  return { devices, k };
}

describe('print.receipt', () => {
  it('prints a refund receipt with the reference and the masked name, never the full name or ID', async () => {
    const { devices, k } = await kioskWithPrinter();
    k.core.service.receipts.add('RQ-1A2B3C4D', refund('RQ-1A2B3C4D'));
    expect(await k.call('print.receipt', { reference: 'RQ-1A2B3C4D' })).toEqual({ printed: true });
    const text = devices.printedText();
    expect(text).toContain('RQ-1A2B3C4D');
    expect(text).toContain('张*三');
    expect(text).toContain('DEMO-ZHANG-003');
    expect(text).toContain('¥128.00');
    expect(text).toContain('2026-11-25 14:03');
    expect(text).not.toContain(zhang.name);
    expect(text).not.toContain(zhang.idNumber);
    expect(devices.printer.jobs).toHaveLength(1);
    expect(devices.printer.jobs[0]).toMatchObject({ cut: true, lostOps: 0 });
    // the printer prompts reach the renderer
    expect(k.events.filter((e) => e.event === 'device.prompt').map((e) => e.payload)).toEqual([
      { device: 'printer', step: 'working' },
      { device: 'printer', step: 'done' },
    ]);
  });

  it('prints an order change receipt', async () => {
    const { devices, k } = await kioskWithPrinter();
    k.core.service.receipts.add('MQ-00000001', changeReceipt({ reference: 'MQ-00000001', orderId: 'DEMO-ZHANG-001', customerName: '张*三', change: '修改地址 Address', newValue: '北京市东城区示例路 8 号', requestedAt: Date.now(), branchName: 'Demo' }));
    expect(await k.call('print.receipt', { reference: 'MQ-00000001' })).toEqual({ printed: true });
    expect(devices.printedText()).toMatch(/订单变更回执[\s\S]*MQ-00000001[\s\S]*张\*三[\s\S]*修改地址/u);
  });

  it('paper out → printed:false with the QR text and the problem, nothing printed; paper back → prints', async () => {
    const { devices, k } = await kioskWithPrinter();
    k.core.service.receipts.add('RQ-PAPER001', refund('RQ-PAPER001'));
    devices.printer.control('paper out');
    expect(await k.call('print.receipt', { reference: 'RQ-PAPER001' })).toEqual({ printed: false, qr: 'https://kiosk.example/r/RQ-PAPER001', problem: 'paper-out' });
    expect(devices.printer.jobs).toHaveLength(0);
    // the staff panel sees it without waiting for the status poll
    expect(k.core.devices!.health().find((d) => d.kind === 'printer')!.error?.code).toBe('paper-out');

    devices.printer.control('cover open');
    expect(await k.call('print.receipt', { reference: 'RQ-PAPER001' })).toMatchObject({ printed: false, problem: 'cover-open' });

    devices.printer.control('cover close');
    devices.printer.control('paper in');
    expect(await k.call('print.receipt', { reference: 'RQ-PAPER001' })).toEqual({ printed: true });
    await until(() => !k.core.devices!.health().find((d) => d.kind === 'printer')!.error);
  });

  it('paper running out during the job → printed:false (the receipt may be incomplete) with the QR', async () => {
    const { devices, k } = await kioskWithPrinter();
    k.core.service.receipts.add('RQ-RUNOUT01', refund('RQ-RUNOUT01'));
    devices.printer.control('paper runout 3');
    expect(await k.call('print.receipt', { reference: 'RQ-RUNOUT01' })).toEqual({ printed: false, qr: 'https://kiosk.example/r/RQ-RUNOUT01', problem: 'paper-out-during-job' });
  });

  it('unknown reference → not_found; a reference of an earlier session → not_found (book wiped)', async () => {
    const { devices, k } = await kioskWithPrinter();
    expect(await k.code('print.receipt', { reference: 'RQ-NOPE' })).toBe('not_found');
    k.core.service.receipts.add('RQ-EARLIER1', refund('RQ-EARLIER1'));
    await k.call('session.end', { reason: 'finish' });
    await k.call('session.start');
    expect(await k.code('print.receipt', { reference: 'RQ-EARLIER1' })).toBe('not_found');
    // and outside a customer session nothing prints at all
    await k.call('session.end', { reason: 'finish' });
    expect(await k.code('print.receipt', { reference: 'RQ-EARLIER1' })).toBe('no_session');
    expect(devices.printer.jobs).toHaveLength(0);
  });

  it('no printer configured → printed:false with the QR (the screen shows it)', async () => {
    const devices = await simulatedDevices();
    const file = join(devices.configPath, '..', 'reader-only.json');
    writeFileSync(file, JSON.stringify({ devices: devices.config.devices.filter((d) => d.kind === 'idcard') }));
    const k = startKiosk({ KIOSK_DEVICES_CONFIG: file });
    await k.call('session.start');
    k.core.service.receipts.add('RQ-NOPRINT1', refund('RQ-NOPRINT1'));
    expect(await k.call('print.receipt', { reference: 'RQ-NOPRINT1' })).toEqual({ printed: false, qr: 'https://kiosk.example/r/RQ-NOPRINT1', problem: 'no-printer' });
    expect((await k.call('app.info')).features).toMatchObject({ devices: true, print: false });
  });

  it('a receipt whose data misses a field the template needs is refused before anything is sent', async () => {
    const { devices, k } = await kioskWithPrinter();
    k.core.service.receipts.add('RQ-BROKEN01', { template: 'refund-request', qr: 'RQ-BROKEN01', data: { reference: 'RQ-BROKEN01' } });
    expect(await k.code('print.receipt', { reference: 'RQ-BROKEN01' })).toBe('internal');
    expect(devices.printer.jobs).toHaveLength(0);
  });
});

describe('staff.testPrint', () => {
  it('prints the test page in staff mode, reports paper out, and is audited', async () => {
    const devices = await simulatedDevices();
    const k = startKiosk(devices.env);
    await allConnected(k);
    expect(await k.code('staff.testPrint')).toBe('unauthorized');
    await k.call('staff.unlock', { pin: '135790' });
    expect(await k.call('staff.testPrint')).toEqual({ printed: true });
    expect(devices.printedText()).toContain('打印测试 Test');
    devices.printer.control('paper out');
    expect(await k.call('staff.testPrint')).toEqual({ printed: false, problem: 'paper-out' });
    const audit = (k.core.store.db.prepare("SELECT payload FROM outbox WHERE kind = 'audit'").all() as Array<{ payload: string }>).map((r) => JSON.parse(r.payload) as { action: string; outcome: string });
    expect(audit.filter((a) => a.action === 'staff.testPrint').map((a) => a.outcome)).toEqual(['ok', 'failed']);
  });
});
