# Parley's image. One image for both processes:
#   server (default):  node bin/parley.js serve
#   worker:            node bin/parley.js worker
# Without DATABASE_URL it uses the embedded database (PGlite) in the /data volume; with it, a Postgres server.
#
# There is no compile step for the server: bin/parley.js runs the TypeScript in src/ through tsx, which is a
# production dependency. Only the web app (chat page, widget, console) is built, in the `web` stage.

ARG NODE_IMAGE=node:22-bookworm-slim

# --- production dependencies ---------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# tsx, pg-boss, PGlite and the rest of what runs are `dependencies`; linters, tests and the `node` npm package
# (which puts Node 22 on the PATH of npm scripts on machines with an older Node) are dev dependencies.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- the web app -------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS web
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:web

# --- runtime -----------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV PARLEY_HOST=0.0.0.0 \
    PARLEY_PORT=3000 \
    PARLEY_DATA_DIR=/data

COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY migrations ./migrations
# The demo company, for `parley seed --demo` (and `serve`, which seeds an empty embedded database unless --no-seed).
COPY examples ./examples
# The built web app, and deliberately not its sources: `parley serve` rebuilds dist/web when web/ is newer, and
# skips that check entirely when web/ is absent, so the image never runs Vite at start-up.
COPY --from=web /app/dist/web ./dist/web

# The app's files stay root-owned and read-only to the process; only the data volume is writable.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]

EXPOSE 3000
# Both commands stop gracefully on SIGTERM: the server finishes answers in progress (up to 30 s; on the embedded
# database, where it also runs the background jobs, those get up to 60 s more), the worker finishes the jobs it
# holds (up to 2 minutes). Give the container that long: `docker stop -t`, compose's stop_grace_period,
# Kubernetes' terminationGracePeriodSeconds.
STOPSIGNAL SIGTERM
# Liveness of the server. A worker serves no HTTP: turn this off for worker containers (compose.yaml does).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PARLEY_PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "bin/parley.js", "serve"]
