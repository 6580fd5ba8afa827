# syntax=docker/dockerfile:1

FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV SCARF_ANALYTICS=false NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false
COPY package.json package-lock.json ./
COPY apps/web/package.json apps/web/
# Install scripts stay on here: the `node` devDependency fetches the Node 24 binary npm scripts run with.
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN npm run build

FROM node:24-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
# NODE_OPTIONS: V8 sizes the young generation only at start (apps/api/src/runtime/streaming-gc.ts).
ENV ENVIRONMENT=production \
    NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=16 \
    PORT=8000 \
    DATA_DIR=/data \
    FILE_STORAGE_PATH=/data/uploads \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/web/package.json apps/web/
# No production dependency needs an install script (the only one is @scarf/scarf's telemetry).
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts
COPY --from=build /app/dist ./dist
# The browser app, served at / (WEB_APP_DIR); static files only, no code runs from here.
COPY --from=build /app/apps/web/dist ./apps/web/dist
# Code stays root-owned and read-only to the app; only /data is writable. A new named volume
# mounted at /data/uploads inherits this ownership.
RUN mkdir -p /data/uploads && chown -R node:node /data
USER node
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
# tini as PID 1 forwards SIGTERM to node and reaps zombies; node itself runs directly, not via npm.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/apps/api/src/main.js"]
