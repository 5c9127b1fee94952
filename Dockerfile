# syntax=docker/dockerfile:1
# Image of the `dedupe` CLI: `docker run IMAGE worker|serve|migrate|...` (see docker-compose.yml).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Dependencies first, so that a source change does not reinstall them. --ignore-scripts: `prepare`
# (the TypeScript build) needs the sources, which come next.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
# Everything .dockerignore lets through (sources, migrations, bin, profiles, tsconfigs).
COPY . .
RUN npm run build \
  && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
  && mkdir -p profiles

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# package.json is needed at run time: it makes the compiled files ES modules ("type": "module").
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/profiles ./profiles
USER node
# 8080: `dedupe serve`; 9464: the /metrics endpoint of `dedupe worker`.
EXPOSE 8080 9464
ENTRYPOINT ["node", "bin/dedupe.js"]
CMD ["--help"]
