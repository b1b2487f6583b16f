// Loads receipt templates from resources/receipts (validated) and renders them to ops.
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ReceiptTemplate, type ReceiptData } from '../../contracts/device-receipt.ts';
import { ReceiptTemplateError, renderReceipt, type EscPosOp } from '../codecs/escpos/index.ts';

export const RECEIPTS_DIR = fileURLToPath(new URL('../../resources/receipts/', import.meta.url));

export async function loadReceiptTemplate(id: string, dir = RECEIPTS_DIR): Promise<ReceiptTemplate> {
  if (!/^[a-z][a-z0-9-]*$/u.test(id)) throw new ReceiptTemplateError('receipt-unknown', `'${id}' is not a receipt template name`, 'printer');
  let raw: string;
  try {
    raw = await readFile(path.join(dir, `${id}.json`), 'utf8');
  } catch {
    throw new ReceiptTemplateError('receipt-unknown', `no receipt template '${id}' in ${dir}`, 'printer');
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new ReceiptTemplateError('receipt-invalid', `receipt template '${id}' is not JSON: ${(err as Error).message}`, 'printer');
  }
  const parsed = ReceiptTemplate.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReceiptTemplateError('receipt-invalid', `receipt template '${id}' is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`, 'printer');
  }
  if (parsed.data.id !== id) throw new ReceiptTemplateError('receipt-invalid', `receipt template file '${id}.json' declares id '${parsed.data.id}'`, 'printer');
  return parsed.data;
}

export async function listReceiptTemplates(dir = RECEIPTS_DIR): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

export async function renderReceiptTemplate(id: string, data: ReceiptData, options: { width?: number; dir?: string } = {}): Promise<EscPosOp[]> {
  const t = await loadReceiptTemplate(id, options.dir);
  return renderReceipt(options.width ? { ...t, width: options.width } : t, data);
}
