# syntax=docker/dockerfile:1
# Toolchain for sqlite3's native module, shared by the two stages that install packages.
FROM node:20-bookworm-slim AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

# Build stage: every dependency, then compile TypeScript.
FROM toolchain AS build
RUN npm ci --ignore-scripts && npm rebuild sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies only, native module built for the runtime image.
FROM toolchain AS deps
RUN npm ci --omit=dev --ignore-scripts && npm rebuild sqlite3

# Runtime: no compilers, no dev dependencies, not root.
FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 STORE_URL=sqlite:///data/state.sqlite
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json app.yml ./
RUN mkdir /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
HEALTHCHECK CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The App. The CLI is in the image too: docker run --entrypoint node IMAGE dist/cli/main.js --help
CMD ["node_modules/.bin/probot", "run", "./dist/app/index.js"]
