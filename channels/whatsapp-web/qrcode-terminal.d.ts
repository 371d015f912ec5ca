declare module 'qrcode-terminal' {
  export function generate(text: string, options: { small?: boolean }, callback: (art: string) => void): void;
  const qrcode: { generate: typeof generate };
  export default qrcode;
}
