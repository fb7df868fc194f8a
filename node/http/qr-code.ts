/**
 * The QR code library (qrcode with its PNG encoder, ~0.4 MiB of heap), imported by the first QR code an offer or a
 * presentation request asks for rather than at start (decision 0050).
 */
import { lazyModule } from '../../protocol/lazy-module.ts';

export const loadQrCode = lazyModule(async () => (await import('qrcode')).default);
