// Typed data for the receipt templates in resources/receipts/, so callers of
// `receipts.add(reference, { template, data, qr })` cannot forget a field the template needs
// (a missing field is refused at print time, after the customer pressed "print").
//
// Fields each template prints ({{field}}; "?" = optional, printed only when present):
//   refund-request : branchName, reference, orderNumber, customerName (masked: 张*三; the builder requires it), amount,
//                    reason, requestedAt, trackUrl (QR), smsNotice?
//   change-request : branchName, reference, orderNumber, customerName? (masked), change, newValue?,
//                    requestedAt, trackUrl (QR)
//   ticket         : branchName, reference, category, submittedAt, summary?, trackUrl? (QR)
//   queue-number   : branchName, queueNumber, service?, waiting, issuedAt
//   test-page      : branchName, printedAt, qrData (QR), testId
// Only masked personal data goes on a receipt: the builders mask the name themselves.
import { maskName } from '../../contracts/identity.ts';
import type { ReceiptData } from '../../contracts/device-receipt.ts';
import type { ReceiptEntry } from '../session/receipt-book.ts';

/** '2026-11-25 14:03' in the kiosk's local time: what a customer reads on paper. */
export function receiptTime(at: Date | string | number): string {
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** ¥128.00 (amounts are in major units, like OrderSummary.total). */
export const receiptAmount = (amount: number, currency = 'CNY'): string => `${currency === 'CNY' ? '¥' : `${currency} `}${amount.toFixed(2)}`;

const compact = (d: Record<string, string | number | undefined>): ReceiptData =>
  Object.fromEntries(Object.entries(d).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== ''));

export interface RefundReceiptInput {
  reference: string;
  orderId: string;
  /** The customer's name, full or already masked (session displayName): masked here either way. */
  customerName: string;
  amount: number;
  currency?: string;
  /** Already translated for the receipt (e.g. '商品损坏 Damaged'). */
  reason: string;
  requestedAt: Date | string | number;
  branchName: string;
  /** What the QR encodes (a tracking URL); default: the reference. */
  qr?: string;
  smsNotice?: boolean;
}

export function refundReceipt(i: RefundReceiptInput): ReceiptEntry {
  const qr = i.qr ?? i.reference;
  return {
    template: 'refund-request',
    qr,
    data: compact({
      branchName: i.branchName,
      reference: i.reference,
      orderNumber: i.orderId,
      customerName: i.customerName.trim() ? maskName(i.customerName) : undefined, // unknown name: no line, not a lone '*'
      amount: receiptAmount(i.amount, i.currency),
      reason: i.reason,
      requestedAt: receiptTime(i.requestedAt),
      trackUrl: qr,
      smsNotice: i.smsNotice ? 'yes' : undefined,
    }),
  };
}

export interface ChangeReceiptInput {
  reference: string;
  orderId: string;
  customerName?: string;
  /** What was asked, translated for the receipt (e.g. '修改地址 Change address', '取消订单 Cancel'). */
  change: string;
  /** The new address / delivery window, when the change has one. */
  newValue?: string;
  requestedAt: Date | string | number;
  branchName: string;
  qr?: string;
}

export function changeReceipt(i: ChangeReceiptInput): ReceiptEntry {
  const qr = i.qr ?? i.reference;
  return {
    template: 'change-request',
    qr,
    data: compact({
      branchName: i.branchName,
      reference: i.reference,
      orderNumber: i.orderId,
      customerName: i.customerName ? maskName(i.customerName) : undefined,
      change: i.change,
      newValue: i.newValue,
      requestedAt: receiptTime(i.requestedAt),
      trackUrl: qr,
    }),
  };
}

export interface TicketReceiptInput {
  reference: string;
  category: string;
  submittedAt: Date | string | number;
  branchName: string;
  summary?: string;
  qr?: string;
}

export function ticketReceipt(i: TicketReceiptInput): ReceiptEntry {
  const qr = i.qr ?? i.reference;
  return {
    template: 'ticket',
    qr,
    data: compact({ branchName: i.branchName, reference: i.reference, category: i.category, submittedAt: receiptTime(i.submittedAt), summary: i.summary, trackUrl: qr }),
  };
}

export interface QueueReceiptInput {
  queueNumber: string;
  waiting: number;
  issuedAt: Date | string | number;
  branchName: string;
  /** Translated service name ('综合业务 General'). */
  service?: string;
  qr?: string;
}

export function queueReceipt(i: QueueReceiptInput): ReceiptEntry {
  return {
    template: 'queue-number',
    qr: i.qr ?? i.queueNumber,
    data: compact({ branchName: i.branchName, queueNumber: i.queueNumber, service: i.service, waiting: String(i.waiting), issuedAt: receiptTime(i.issuedAt) }),
  };
}

/** The staff test page (not a customer receipt: no reference, no QR fallback). */
export function testPageData(branchName: string, at: Date | string | number): ReceiptData {
  const d = new Date(at);
  return { branchName, printedAt: receiptTime(d), qrData: `lobby-kiosk:test:${d.toISOString()}`, testId: d.toISOString().replace(/\D/gu, '').slice(2, 14) };
}
