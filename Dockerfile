# syntax=docker/dockerfile:1.7
# One image per service: docker build --build-arg APP=order -t fapiao-order:0.1.0 .
# APP is one of auth, order, invoice, tax-bridge, reconciliation, tax-authority-sim.
ARG NODE_VERSION=24

# Full dependency tree for the SWC build. Install scripts stay off: nothing we need runs one
# (SWC's native binary comes as an optional dependency); our own patches/ are applied explicitly.
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
COPY patches ./patches
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund && npx patch-package

FROM deps AS build
COPY tsconfig.base.json nx.json ./
COPY tools/build ./tools/build
COPY libs ./libs
COPY apps ./apps
RUN node tools/build/build.mjs

# The patched tree without dev dependencies (patch-package itself is one).
FROM deps AS prod-deps
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG APP
RUN case "$APP" in auth|order|invoice|tax-bridge|reconciliation|tax-authority-sim|ops-console) ;; \
      *) echo "build with --build-arg APP=<auth|order|invoice|tax-bridge|reconciliation|tax-authority-sim|ops-console>" >&2; exit 1 ;; esac
ENV NODE_ENV=production APP=${APP}
WORKDIR /app
# Root-owned and read-only to the runtime user: the app writes only to /tmp.
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=build /src/package.json ./
COPY --from=build /src/dist/libs ./dist/libs
COPY --from=build /src/dist/apps/${APP} ./dist/apps/${APP}
# The base image's unprivileged "node" user, numerically so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 3001 3002 3003 3004 3005 3010 3020
# Keep in step with NODE_OPTIONS in tools/dev-supervisor/suite.mjs (CPU at saturation against idle RSS).
ENV NODE_OPTIONS="--max-semi-space-size=16"
# For docker and compose; Kubernetes uses the chart's probes instead (HEALTHCHECK is ignored there).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 CMD ["node", "-e", "const port = process.env.PORT || { auth: 3001, order: 3002, invoice: 3003, 'tax-bridge': 3004, reconciliation: 3005, 'tax-authority-sim': 3010, 'ops-console': 3020 }[process.env.APP]; fetch(`http://127.0.0.1:${port}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# exec: node becomes PID 1 and receives SIGTERM for the graceful shutdown.
CMD ["/bin/sh", "-c", "exec node --require ./dist/libs/platform/observability/src/register.js \"dist/apps/$APP/src/main.js\""]
