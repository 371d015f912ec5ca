// The arrows of ../shared/DESIGN.md, enforced (npm run deps:check).
//   app ──> channels ──> bot ──> nlu
//                          └───> booking-core <── sensors-bridge
//   channels ──(types)── web-widget;  nothing imports app;  only storage adapters import Prisma.
//   support (agents, handoffs) ──> booking-core, bot, channels;  web-widget's console ──(types)── support.
const layer = (name) => `^${name}/`;
const others = (...allowed) =>
  ['app', 'booking-core', 'sensors-bridge', 'nlu', 'bot', 'channels', 'support', 'web-widget']
    .filter((m) => !allowed.includes(m))
    .map(layer);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'nothing-imports-app',
      comment: 'app/ is the composition root; nothing depends on it.',
      severity: 'error',
      from: { pathNot: '^(app|test|bench)/' },
      to: { path: '^app/' },
    },
    {
      name: 'booking-core-stands-alone',
      comment: 'booking-core knows nothing of chat, channels, sensors or NLU.',
      severity: 'error',
      from: { path: '^booking-core/' },
      to: { path: others('booking-core') },
    },
    {
      name: 'nlu-stands-alone',
      severity: 'error',
      from: { path: '^nlu/' },
      to: { path: [...others('nlu'), '^prisma/'] },
    },
    {
      name: 'sensors-bridge-uses-only-booking-core',
      severity: 'error',
      from: { path: '^sensors-bridge/' },
      to: { path: others('sensors-bridge', 'booking-core') },
    },
    {
      name: 'bot-uses-nlu-and-booking-core',
      severity: 'error',
      from: { path: '^bot/' },
      to: { path: others('bot', 'nlu', 'booking-core') },
    },
    {
      name: 'channels-use-bot-and-widget-types',
      severity: 'error',
      from: { path: '^channels/' },
      to: { path: others('channels', 'bot', 'booking-core', 'web-widget') },
    },
    {
      name: 'support-uses-booking-core-bot-and-channels',
      comment:
        'The support side (agents, handoffs) stands on booking-core and the conversation runtime; only app/ wires it.',
      severity: 'error',
      from: { path: '^support/' },
      to: { path: others('support', 'booking-core', 'bot', 'channels') },
    },
    {
      name: 'web-widget-is-browser-code',
      comment: 'The widget may share types with channels, the console with support, nothing else of ours.',
      severity: 'error',
      from: { path: '^web-widget/' },
      to: { path: others('web-widget', 'channels', 'support') },
    },
    {
      name: 'web-widget-shares-only-protocols',
      comment: 'Browser code reaches support/ only through its wire format (types).',
      severity: 'error',
      from: { path: '^web-widget/' },
      to: { path: '^support/', pathNot: '^support/console-protocol\\.ts$' },
    },
    {
      name: 'only-storage-adapters-import-prisma',
      comment: 'Repositories return plain domain data; Prisma stays inside */storage/ (and prisma/ itself).',
      severity: 'error',
      from: { pathNot: '^(prisma/|[^/]+/storage/|scripts/|test/)' },
      to: { path: ['^prisma/generated/', '^node_modules/(@prisma/client|\\.prisma)/'] },
    },
    {
      name: 'enter-through-index',
      comment: 'Other folders import a module only through its public door, index.ts.',
      severity: 'error',
      from: { path: '^(app|booking-core|sensors-bridge|nlu|bot|channels|support|web-widget)/' },
      to: {
        path: '^(booking-core|sensors-bridge|nlu|bot|channels|support|web-widget)/.+',
        pathNot: [
          '^(booking-core|sensors-bridge|nlu|bot|channels|support|web-widget)/index\\.ts$',
          '^$1/',
          // the browser-facing protocols are the second, type-only doors of channels/ and support/
          '^channels/web/protocol\\.ts$',
          '^support/console-protocol\\.ts$',
        ],
      },
    },
    {
      name: 'not-to-tests',
      severity: 'error',
      from: { pathNot: '\\.test\\.ts$|^test/|^bench/' },
      to: { path: '\\.test\\.ts$|^test/' },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^prisma/generated/'] },
    exclude: { path: '(^|/)(node_modules|\\.data|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
