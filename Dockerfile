# syntax=docker/dockerfile:1
# smart-parking-platform — build with every dependency (npm's postinstall generates the Prisma
# client), then a small runtime image with production dependencies only, running as `node`.
#
#   docker build -t smart-parking-platform .
#   docker run -p 3000:3000 -e DATABASE_URL=… -e REDIS_URL=… -e MQTT_URL=… smart-parking-platform
#
# Install pitfalls handled here (docs/install-notes.md):
# - Prisma's CLI cannot download its schema engine without internet; `prisma generate` only needs
#   one to exist, so PRISMA_SCHEMA_ENGINE_BINARY points at /bin/false (scripts/prisma-generate.mjs).
# - botbuilder-dialogs' postinstall runs `npx rimraf`: rimraf is a devDependency, so the install
#   runs with dev dependencies and they are pruned afterwards.
# - whatsapp-web.js pulls puppeteer, whose browser download is skipped (PUPPETEER_SKIP_DOWNLOAD).

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV PUPPETEER_SKIP_DOWNLOAD=true \
    PRISMA_SCHEMA_ENGINE_BINARY=/bin/false \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
COPY package.json package-lock.json .puppeteerrc.cjs prisma.config.ts ./
COPY prisma/schema.prisma prisma/schema.prisma
COPY scripts/prisma-generate.mjs scripts/prisma-generate.mjs
RUN npm ci && npm prune --omit=dev && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    DATA_DIR=/data
# Sources run through tsx (a runtime dependency); .dockerignore keeps tests, data and git out.
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/prisma/generated prisma/generated
COPY . .
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# Ready = database reachable and migrated (and Redis, when configured).
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
# The node flags of `npm start`: a 64 MB young generation (fewer scavenges for chat turns' short-lived garbage).
CMD ["node", "--disable-warning=PINODEP008", "--max-semi-space-size=64", "--import", "tsx", "app/main.ts"]
