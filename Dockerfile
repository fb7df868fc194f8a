# syntax=docker/dockerfile:1
# LER Node container image: a build stage compiles the TypeScript (npm ci + npm run build); the runtime stage
# holds production dependencies and the compiled node only, runs as the unprivileged `node` user, keeps all
# state in the /data volume, and reports health from GET /health.
#
# Pin the base image by digest in production (`node:20.20.2-bookworm-slim@sha256:…`, from `docker buildx
# imagetools inspect`); the tag alone is pinned here.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `prepare` would build before the sources are copied; the build runs below. classic-level and esbuild load
# the prebuilt binaries their packages ship, so no install script is needed.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY data ./data
COPY node ./node
COPY protocol ./protocol
COPY registry ./registry
COPY types ./types
COPY scripts/copy-assets.mjs ./scripts/copy-assets.mjs
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    LER_DATA=/data \
    LER_HTTP=0.0.0.0:8080 \
    LER_P2P=/ip4/0.0.0.0/tcp/4001
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY docker ./docker
# The data directory belongs to the unprivileged user; everything else stays root-owned and read-only to it.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# 8080: HTTP API and pages; 4001: libp2p (TCP).
EXPOSE 8080 4001
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "docker/healthcheck.mjs"]
# SIGTERM (docker stop) stops the node cleanly; node is PID 1 here and handles it.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/ler-node.js"]
CMD ["start"]
