// What the kiosk API needs from the devices, as narrow ports. core/devices/ implements them over
// the device manager (native/); tests may implement them over simulators. Keeping the ports this
// small lets identity, orders and staff actions be written without knowing serial ports exist.
import type { DeviceHealth } from '../../contracts/device-config.ts';
import type { DevicePrompt } from '../../contracts/kiosk-api.ts';
import type { ReceiptData } from '../../contracts/device-receipt.ts';

export type PromptListener = (prompt: DevicePrompt) => void;

/** Fields read from a resident ID card. Personal: never logged, never stored, dropped after use. */
export interface CardRead {
  idNumber: string;
  name: string;
}

export interface CardReaderPort {
  /** Waits for a card on the reader (rejects with KioskApiError 'timeout' / 'device'). */
  read(options: { timeoutMs: number; signal?: AbortSignal; onPrompt?: PromptListener }): Promise<CardRead>;
}

export interface FingerprintPort {
  /** Loads the template into the sensor (DownChar), captures a finger and matches on the sensor. */
  verify(template: Uint8Array, options: { timeoutMs: number; signal?: AbortSignal; onPrompt?: PromptListener }): Promise<{ matched: boolean; score: number }>;
  /** Two captures → one template (the sensor's RegModel + UpChar). */
  enrol(options: { timeoutMs: number; signal?: AbortSignal; onPrompt?: PromptListener }): Promise<Uint8Array>;
}

export type PrintOutcome = { printed: true } | { printed: false; code: string; problem: string };

export interface PrinterPort {
  /** Renders resources/receipts/<templateId>.json with data and prints it; never throws for paper-out etc. */
  print(templateId: string, data: ReceiptData): Promise<PrintOutcome>;
}

export interface DevicePorts {
  health(): DeviceHealth[];
  /** false while a source has no devices configured (synced config not naming any yet); default true. */
  configured?(): boolean;
  card?: CardReaderPort;
  fingerprint?: FingerprintPort;
  printer?: PrinterPort;
}
