// Device benchmark: figures that mean something on any machine, because each is a ratio against a
// baseline measured in the same run.
//   · card read cycle (find → select → read) over a real pty at 115200 baud, with the simulator
//     replying as fast as it can and with replies paced like a UART, against the wire time of the
//     cycle's bytes (10 bits a byte) — the 1295-byte read reply alone is ≈ 112 ms on the wire;
//   · receipt encode (template → ESC/POS bytes) against plain iconv GB18030 encoding of the same text;
//   · ESC/POS decode (bytes → transcript) against the same baseline.
import { mkdirSync, writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { percentile } from '../common/percentile.ts';
import { decodeEscPos, encodeOps, renderReceipt, renderTranscript } from '../native/codecs/escpos/index.ts';
import { IdCardReader } from '../native/drivers/idcard.ts';
import { loadReceiptTemplate } from '../native/drivers/receipts.ts';
import { SerialHost } from '../native/simulators/host.ts';
import { IdCardSimulator } from '../native/simulators/idcard.ts';
import { createPtyPair } from '../native/simulators/pty-pair.ts';
import { SerialTransport } from '../native/transports/serial.ts';

const BAUD = 115200;
const bitsOnWire = (bytes: number): number => (bytes * 10 * 1000) / BAUD;

async function cardCycle(pace: boolean, cycles: number): Promise<{ p50: number; p95: number; wireMs: number; bytes: number }> {
  const pair = await createPtyPair();
  const sim = new IdCardSimulator();
  const host = await SerialHost.start(sim, { path: pair.b, baudRate: BAUD, pace });
  const transport = await SerialTransport.open(pair.a, BAUD);
  const reader = new IdCardReader(transport);
  let bytesIn = 0;
  transport.on('data', (d) => (bytesIn += d.length));
  const times: number[] = [];
  let bytes = 0;
  try {
    for (let i = 0; i < cycles + 2; i++) {
      sim.insert('zhang');
      const out0 = reader.stats.bytesOut;
      const in0 = bytesIn;
      const t0 = performance.now();
      const card = await reader.tryRead();
      const dt = performance.now() - t0;
      if (!card) throw new Error('bench: card not read');
      bytes = reader.stats.bytesOut - out0 + bytesIn - in0;
      if (i >= 2) times.push(dt); // two warm-up cycles
    }
  } finally {
    await reader.close();
    await host.close();
    await pair.close();
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), wireMs: bitsOnWire(bytes), bytes };
}

function timeLoop(fn: () => unknown, iterations: number): number {
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return (performance.now() - t0) / iterations;
}

export default async function run(): Promise<void> {
  const fast = await cardCycle(false, 30);
  const paced = await cardCycle(true, 10);

  const template = await loadReceiptTemplate('refund-request');
  const data = {
    branchName: '示例银行 中关村支行', reference: 'R-2024-000123', orderNumber: 'O-99812', amount: '¥128.00', reason: '商品损坏，申请退货退款',
    requestedAt: '2024-05-01 10:02', trackUrl: 'https://kiosk.example/r/R-2024-000123', smsNotice: 'yes',
  };
  const bytes = encodeOps(renderReceipt(template, data));
  const text = renderTranscript(decodeEscPos(bytes));
  const iterations = 3000;
  // Interleave to share any warm-up or frequency drift between the two.
  let encodeMs = 0;
  let baselineMs = 0;
  let decodeMs = 0;
  for (let round = 0; round < 3; round++) {
    baselineMs += timeLoop(() => iconv.encode(text, 'gb18030'), iterations);
    encodeMs += timeLoop(() => encodeOps(renderReceipt(template, data)), iterations);
    decodeMs += timeLoop(() => renderTranscript(decodeEscPos(bytes)), iterations);
  }
  const results = {
    cardRead: {
      baud: BAUD,
      cycleBytes: fast.bytes,
      wireMs: round(fast.wireMs),
      unpaced: { p50Ms: round(fast.p50), p95Ms: round(fast.p95), ratioToWire: round(fast.p50 / fast.wireMs, 3) },
      paced: { p50Ms: round(paced.p50), p95Ms: round(paced.p95), ratioToWire: round(paced.p50 / paced.wireMs, 3) },
    },
    receipt: {
      template: 'refund-request',
      bytes: bytes.length,
      encodeUs: round(encodeMs * 1000 / 3),
      iconvBaselineUs: round(baselineMs * 1000 / 3),
      encodeRatio: round(encodeMs / baselineMs),
      decodeUs: round(decodeMs * 1000 / 3),
      decodeRatio: round(decodeMs / baselineMs),
    },
    node: process.version,
  };
  const rows: [string, string, string][] = [
    ['card read cycle, pty, simulator unpaced', `${results.cardRead.unpaced.p50Ms} ms (p95 ${results.cardRead.unpaced.p95Ms})`, `${results.cardRead.unpaced.ratioToWire}× wire time`],
    ['card read cycle, pty, replies paced at 115200', `${results.cardRead.paced.p50Ms} ms (p95 ${results.cardRead.paced.p95Ms})`, `${results.cardRead.paced.ratioToWire}× wire time`],
    [`  wire time of the cycle's ${fast.bytes} bytes`, `${results.cardRead.wireMs} ms`, 'baseline'],
    ['receipt encode (template → ESC/POS)', `${results.receipt.encodeUs} µs`, `${results.receipt.encodeRatio}× iconv`],
    ['receipt decode (ESC/POS → transcript)', `${results.receipt.decodeUs} µs`, `${results.receipt.decodeRatio}× iconv`],
    ['  iconv GB18030 encode of the same text', `${results.receipt.iconvBaselineUs} µs`, 'baseline'],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log('devices');
  for (const [a, b, c] of rows) console.log(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('devices.json', dir), JSON.stringify(results, null, 2) + '\n');
}

const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) void run();
