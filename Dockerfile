# Production image of the call-center server (the server only: Asterisk runs in its own
# container or host, reached over ARI and AMI — see the compose example at the end).
#
#   docker build -t callcenter-server .
#   docker run -p 3000:3000 -v cc-data:/data \
#     -e ARI_URL=http://asterisk:8088 -e ARI_USER=... -e ARI_PASSWORD=... \
#     -e AMI_HOST=asterisk -e AMI_USER=... -e AMI_SECRET=... callcenter-server
#
# /data holds the database and secrets.key, the key that seals SIP secrets at rest: keep the
# volume, or set SECRETS_KEY, or the stored phone and trunk secrets cannot be opened.

# ---- build: compile TypeScript, the web application and the native SQLite binding ----
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY web ./web
RUN npm run build && npm prune --omit=dev

# ---- runtime: no compiler, no dev dependencies, not root ----
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=3000 \
    DATABASE_PATH=/data/callcenter.db \
    ASTERISK_MODE=external
WORKDIR /app
# sox converts uploaded audio files (other WAVs, MP3) to the telephone WAV Asterisk plays.
RUN apt-get update \
 && apt-get install -y --no-install-recommends sox libsox-fmt-mp3 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY package.json ./
COPY migrations ./migrations
COPY asterisk-config ./asterisk-config
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "dist/main.js"]

# ---- compose example (docker-compose.yml), with an Asterisk 22 container ----
# The Asterisk container needs this repository's asterisk-config/ rendered with the values
# below (ports, ARI/AMI credentials, Stasis app name); `npm run asterisk:render -- <dir>`
# renders it into <dir>, which is mounted as /etc/asterisk.
#
# services:
#   asterisk:
#     image: andrius/asterisk:22          # any Asterisk 22 image with PJSIP, ARI and res_stasis
#     network_mode: host                  # SIP and RTP without port-mapping gymnastics
#     volumes:
#       - ./rendered-asterisk-config:/etc/asterisk:ro
#   callcenter:
#     build: .
#     network_mode: host
#     environment:
#       ASTERISK_MEDIA_URL: http://127.0.0.1:3000   # where Asterisk fetches audio files from
#     depends_on: [asterisk]
#     volumes:
#       - callcenter-data:/data
#     environment:
#       ASTERISK_MODE: external
#       ARI_URL: http://127.0.0.1:8088
#       ARI_USER: callcenter
#       ARI_PASSWORD: ${ARI_PASSWORD}     # the same values the rendered config holds
#       AMI_HOST: 127.0.0.1
#       AMI_USER: callcenter
#       AMI_SECRET: ${AMI_SECRET}
#       ADMIN_PASSWORD: ${ADMIN_PASSWORD} # or read the generated one from the first log lines
#     healthcheck:
#       test: ["CMD", "node", "-e", "fetch('http://127.0.0.1:3000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# volumes:
#   callcenter-data:
