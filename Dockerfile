# syntax=docker/dockerfile:1
# The Tidings feed server.
#   docker build -t tidings .
#   docker run -d -p 3000:3000 -v tidings-data:/data tidings            # the offline demo
#   docker run -d -p 3000:3000 -v tidings-data:/data \
#     -v "$PWD/tidings.yaml:/etc/tidings/tidings.yaml:ro" -e TIDINGS_CONFIG=/etc/tidings/tidings.yaml tidings
#
# The build stage makes the production bundle with scripts/bundle.sh, the script that
# test/package/bundle.test.ts runs and starts from a fresh directory in CI; the runtime stage is
# Node and that bundle, nothing else (no pnpm, no TypeScript, no sources).
#
# Environment (docs/deploy.md, apps/server/README.md):
#   PORT                 port to listen on (3000)
#   HOST                 interface to listen on (all; the health check asks 127.0.0.1)
#   TIDINGS_DATA_DIR     where the SQLite database lives: /data, a volume
#   TIDINGS_CONFIG       the config file; default the bundled demo (/app/config/default.yaml).
#                        Mount it writable if you use the admin API: it writes changes into the file
#   TIDINGS_DATABASE_URL history in PostgreSQL (postgres://…), shared by instances
#   TIDINGS_REDIS_URL    history in Redis (redis://…), shared by instances
#   TIDINGS_ADMIN_TOKEN  turns the admin API and /console on (at least 16 characters)
#   TIDINGS_…            whatever a source's headers, cookies or notify entries name as ${TIDINGS_…}
#   LOG_LEVEL            info; LOG_FORMAT json (the default when not on a terminal) or pretty
# Sources with `render: browser` need Chromium, which this image does not carry.

FROM node:20-slim AS build
# better-sqlite3 installs a prebuilt binary; these build it from source where none fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN npx -y pnpm@12.4.2 install --frozen-lockfile \
  && npx -y pnpm@12.4.2 --filter "@tidings/server..." build \
  && bash scripts/bundle.sh /bundle

FROM node:20-slim
RUN groupadd --system tidings \
  && useradd --system --gid tidings --home-dir /app --shell /usr/sbin/nologin tidings \
  && mkdir /data && chown tidings:tidings /data
# Owned by root, read-only to the server: only /data is written.
COPY --from=build /bundle /app
WORKDIR /app
ENV NODE_ENV=production \
  PORT=3000 \
  TIDINGS_DATA_DIR=/data
USER tidings
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# V8's young generation kept small, as scripts/start.mjs does (BENCHMARKS.md).
CMD ["node", "--max-semi-space-size=2", "dist/main.js"]
