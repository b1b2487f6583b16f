// The receipt as data: a list of operations. The builder turns ops into ESC/POS bytes and the
// decoder turns bytes back into ops, so tests, the simulator and the preview all speak this type.

export type Align = 'left' | 'center' | 'right';
export type QrEcc = 'L' | 'M' | 'Q' | 'H';

export type EscPosOp =
  | { op: 'init' }
  | { op: 'align'; align: Align }
  | { op: 'bold'; on: boolean }
  | { op: 'size'; width: number; height: number }
  | { op: 'text'; text: string }
  | { op: 'newline' }
  | { op: 'feed'; lines: number }
  | { op: 'cut'; partial: boolean }
  | { op: 'chinese'; on: boolean }
  | { op: 'qr'; data: string; size: number; ecc: QrEcc }
  | { op: 'code128'; data: string }
  | { op: 'status'; n: 1 | 2 | 3 | 4 }
  | { op: 'unknown'; bytes: number[] };
