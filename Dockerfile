# The app, the catalog stand-in, the load generator and the alert webhook receiver in one image (each service in
# docker-compose.yml picks its command). Multi-stage: compile with dev dependencies, ship only production ones.
ARG NODE_IMAGE=node:24.11.1-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json tsconfig.build.json ./
COPY app app
COPY catalog catalog
COPY stack stack
RUN npm run build && npm prune --omit=dev --no-audit --no-fund --loglevel=error

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /srv
COPY --from=build --chown=root:root /src/package.json ./
COPY --from=build --chown=root:root /src/node_modules node_modules
COPY --from=build --chown=root:root /src/dist dist
# Profiles are the only thing the app writes.
RUN mkdir profiles && chown node:node profiles
USER node
EXPOSE 3000 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Telemetry is imported before the app so auto-instrumentation can patch http, express, pg, ioredis and fetch.
CMD ["node", "--import", "./dist/telemetry/register.js", "dist/app/src/main.js"]
