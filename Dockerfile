# trailproof as a container for scheduled scans (documented in docs/operations/container.md).
#
#   docker build -t trailproof .
#   docker run --rm -e AWS_PROFILE=org-management -v ~/.aws:/home/node/.aws:ro \
#     -v "$PWD/reports:/work/reports" trailproof scan
#
# Stage 1 builds the package exactly as `npm pack` publishes it; stage 2 installs that tarball
# with production dependencies only, so the image holds what a user's `npm i -g` would.

# Node 22 LTS (the AWS SDK's releases from 2027 need it); the tag to change for another LTS.
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json README.md config.yaml ./
COPY bin ./bin
COPY src ./src
COPY scripts/build-validators.mjs ./scripts/
COPY rules ./rules
COPY schemas ./schemas
COPY examples ./examples
# `npm pack` runs the prepare script, which builds dist/.
RUN npm pack --pack-destination /tmp && mv /tmp/trailproof-*.tgz /tmp/trailproof.tgz

FROM node:22-bookworm-slim
ENV NODE_ENV=production
COPY --from=build /tmp/trailproof.tgz /tmp/trailproof.tgz
RUN npm install --global --omit=dev --no-audit --no-fund /tmp/trailproof.tgz \
  && rm /tmp/trailproof.tgz \
  && npm cache clean --force \
  && mkdir -p /work/reports \
  && chown -R node:node /work
# The official image's unprivileged user; reports go to /work/reports (mount a volume there).
USER node
WORKDIR /work
ENTRYPOINT ["trailproof"]
CMD ["--help"]
