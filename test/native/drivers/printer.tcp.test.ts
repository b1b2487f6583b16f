// Printer driver ↔ printer simulator over a TCP loopback socket (port-9100 style), and a device file.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEscPos, EscPosBuilder, renderTranscript } from '../../../native/codecs/escpos/index.ts';
import { ReceiptPrinter } from '../../../native/drivers/printer.ts';
import { renderReceiptTemplate } from '../../../native/drivers/receipts.ts';
import { TcpHost } from '../../../native/simulators/host.ts';
import { PrinterSimulator, type PrintedJob } from '../../../native/simulators/printer.ts';
import { openTransport } from '../../../native/transports/open.ts';
import { onCleanup, until } from '../fixtures.ts';

async function rig() {
  const sim = new PrinterSimulator();
  const host = await TcpHost.start(sim, 0);
  onCleanup(() => host.close());
  const transport = await openTransport(`tcp://127.0.0.1:${host.port}`);
  onCleanup(() => transport.close());
  return { sim, printer: new ReceiptPrinter(transport, { timeoutMs: 500 }) };
}

const testPage = () => renderReceiptTemplate('test-page', { branchName: '示例网点', printedAt: '2024-05-01 10:00', qrData: 'https://kiosk.example/t', testId: '7' });

describe('receipt printer over TCP', () => {
  it('reads a healthy status and prints the test page; the simulator transcript shows it', async () => {
    const { sim, printer } = await rig();
    expect(await printer.status()).toMatchObject({ offline: false, paperOut: false, coverOpen: false });
    const result = await printer.print(await testPage());
    expect(result.warnings).toEqual([]);
    await until(() => sim.jobs.length === 1);
    const job = sim.jobs[0]!;
    expect(job.cut).toBe(true);
    expect(job.transcript).toContain('打印测试 Test');
    expect(job.transcript).toContain('中文：自助服务终端打印正常。');
    expect(job.transcript).toContain('[QR M 6] https://kiosk.example/t');
    expect(job.transcript).toContain('[CODE128] TEST-7');
    expect(job.transcript.endsWith('[CUT]')).toBe(true);
  });

  it('paper out: refuses with a typed error and sends nothing', async () => {
    const { sim, printer } = await rig();
    sim.control('paper out');
    const jobs: PrintedJob[] = [];
    sim.on('job', (j: PrintedJob) => jobs.push(j));
    await expect(printer.print(await testPage())).rejects.toMatchObject({ name: 'PrinterError', code: 'paper-out' });
    await printer.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(jobs).toEqual([]);
  });

  it('cover open and offline are reported as such', async () => {
    const { sim, printer } = await rig();
    sim.control('cover open');
    await expect(printer.print(new EscPosBuilder().line('x').encode())).rejects.toMatchObject({ code: 'cover-open' });
    sim.control('cover close');
    sim.control('offline');
    await expect(printer.print(new EscPosBuilder().line('x').encode())).rejects.toMatchObject({ code: 'offline' });
    sim.control('online');
    sim.control('cutter jam');
    await expect(printer.print(new EscPosBuilder().line('x').encode())).rejects.toMatchObject({ code: 'cutter-error' });
  });

  it('paper running out mid-job is reported after the job', async () => {
    const { sim, printer } = await rig();
    sim.control('paper runout 3');
    await expect(printer.print(await testPage())).rejects.toMatchObject({ code: 'paper-out-during-job' });
    await printer.close();
    await until(() => sim.jobs.length === 1);
    expect(sim.jobs[0]!.lostOps).toBeGreaterThan(0);
  });

  it('paper near end prints but warns', async () => {
    const { sim, printer } = await rig();
    sim.control('paper low');
    const r = await printer.print(new EscPosBuilder().line('hello').cut().encode());
    expect(r.warnings).toEqual(['paper-near-end']);
    expect(r.status?.paperNearEnd).toBe(true);
  });

  it('a device file gets the bytes; status is unknown (write-only)', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'lp-')), 'lp0');
    const transport = await openTransport(`file://${file}`);
    onCleanup(() => transport.close());
    const printer = new ReceiptPrinter(transport);
    expect(await printer.status()).toBeUndefined();
    const bytes = new EscPosBuilder().init().line('退款').cut().encode();
    expect((await printer.print(bytes)).status).toBeUndefined();
    expect(renderTranscript(decodeEscPos(readFileSync(file)))).toBe('退款\n[CUT]');
  });
});
