/** The few words the renderer adds itself, in the driver's language. */
interface Words {
  choose: string;
  pickOne: string;
  replyNumber: string;
  free: string;
  openLink: string;
  shareLocation: string;
}

const WORDS: Record<string, Words> = {
  en: {
    choose: 'Choose',
    pickOne: 'Please choose:',
    replyNumber: 'Reply with a number.',
    free: 'free',
    openLink: 'Open',
    shareLocation: 'To share your location: tap 📎 (or +), then Location.',
  },
  es: {
    choose: 'Elegir',
    pickOne: 'Elige una opción:',
    replyNumber: 'Responde con un número.',
    free: 'libres',
    openLink: 'Abrir',
    shareLocation: 'Para compartir tu ubicación: toca 📎 (o +) y luego Ubicación.',
  },
};

export const wordsFor = (locale?: string): Words => WORDS[locale?.slice(0, 2) ?? 'en'] ?? WORDS['en']!;
