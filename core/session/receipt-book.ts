// Receipts of this customer session: every reference the kiosk gave out (order change, refund,
// ticket, queue number) with the data its receipt prints. print.receipt looks references up here,
// so a renderer can only print what this session produced. Memory only; wiped at session end.
import type { ReceiptData } from '../../contracts/device-receipt.ts';

/** Short reference a customer can read out at a counter: a prefix and the end of the item's key. */
export const referenceOf = (prefix: string, key: string) => `${prefix}-${key.replace(/-/g, '').slice(-8).toUpperCase()}`;

export interface ReceiptEntry {
  /** resources/receipts/<template>.json */
  template: 'refund-request' | 'change-request' | 'ticket' | 'queue-number';
  data: ReceiptData;
  /** What the on-screen QR fallback encodes (a tracking URL or the reference). */
  qr: string;
}

export class ReceiptBook {
  private readonly entries = new Map<string, ReceiptEntry>();

  add(reference: string, entry: ReceiptEntry): void {
    this.entries.set(reference, entry);
  }

  get(reference: string): ReceiptEntry | undefined {
    return this.entries.get(reference);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
