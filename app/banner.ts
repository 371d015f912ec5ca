/** One line of the start-up banner: what, and where to find it. */
export type BannerLine = readonly [label: string, value: string];

/**
 * The start-up banner a person reads after `npm start`: where the demo page, the agents' console,
 * the API docs and the broker are, and — on the first start only — the generated API key.
 *
 *   process.stdout.write(formatBanner(platform.banner, { generatedKey }));
 */
export function formatBanner(lines: readonly BannerLine[], extra: { generatedKey?: string } = {}): string {
  const all: BannerLine[] = [...lines];
  if (extra.generatedKey) all.push(['New API key', `${extra.generatedKey}  (shown once)`]);
  const width = Math.max(...all.map(([label]) => label.length));
  const body = all.map(([label, value]) => `  ${`${label}:`.padEnd(width + 2)}${value}`).join('\n');
  return `\n  smart-parking-platform is running\n\n${body}\n\n  Ctrl-C stops it.\n\n`;
}

/** The address people type into a browser: a wildcard listener is reached through localhost. */
export function browsableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
