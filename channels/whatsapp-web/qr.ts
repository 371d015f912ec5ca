import qrcode from 'qrcode-terminal';

/** The QR code as text art for a terminal (two pixels per character). */
export function qrArt(qr: string): Promise<string> {
  return new Promise((resolve) => qrcode.generate(qr, { small: true }, resolve));
}
