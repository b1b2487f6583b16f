// One place that turns a configured address into a transport:
//   tcp://host:port · file:///dev/usb/lp0 · /dev/ttyUSB0 (or serial:/dev/ttyUSB0) · COM3
import { TransportError } from '../errors.ts';
import { FileTransport } from './file.ts';
import { SerialTransport, type SerialPortFactory } from './serial.ts';
import { TcpTransport } from './tcp.ts';
import type { Transport } from './transport.ts';

export type TransportAddress =
  | { type: 'tcp'; host: string; port: number }
  | { type: 'file'; path: string }
  | { type: 'serial'; path: string };

export function parseTransportAddress(address: string): TransportAddress {
  const a = address.trim();
  if (a.startsWith('tcp://')) {
    const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?$/u.exec(a);
    const port = m ? Number(m[2]) : NaN;
    if (!m || port < 1 || port > 65535) throw new TransportError('bad-address', `'${address}' is not tcp://host:port`);
    return { type: 'tcp', host: m[1]!.replace(/^\[|\]$/gu, ''), port };
  }
  if (a.startsWith('file://')) return { type: 'file', path: a.slice('file://'.length) };
  if (a.startsWith('serial:')) return { type: 'serial', path: a.slice('serial:'.length) };
  if (a.length === 0) throw new TransportError('bad-address', 'empty device address');
  return { type: 'serial', path: a };
}

export interface OpenOptions {
  baudRate?: number;
  serialFactory?: SerialPortFactory;
}

export function openTransport(address: string | TransportAddress, options: OpenOptions = {}): Promise<Transport> {
  const a = typeof address === 'string' ? parseTransportAddress(address) : address;
  switch (a.type) {
    case 'tcp': return TcpTransport.open(a.host, a.port);
    case 'file': return FileTransport.open(a.path);
    case 'serial': return SerialTransport.open(a.path, options.baudRate ?? 115200, options.serialFactory);
  }
}
