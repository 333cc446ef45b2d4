# Sundial in a container. Build:   DOCKER_BUILDKIT=1 docker build -t sundial .
# First create an admin in the volume (the server refuses to serve a non-loopback address without users):
#          docker run --rm -i -v sundial-data:/var/lib/sundial sundial user create --admin root --password-stdin < root-password.txt
# Run:     docker run -d -p 8086:8086 -p 5432:5432 -v sundial-data:/var/lib/sundial sundial
# (docs/OPERATIONS.md, "Distribution, service and container").

# --- build: Maven on Temurin 25; tests are the CI's job, not the image's.
FROM maven:3.9-eclipse-temurin-25 AS build
# Node and npm build the web console's bundle (module console, docs/CONSOLE.md); not in the runtime image.
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The cache mount keeps downloaded dependencies between builds (BuildKit).
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -Pdist -DskipTests -pl dist -am package \
 && mv dist/target/sundial-*/ /opt/sundial

# --- runtime: the distribution carries its own jlink runtime, so a small base image suffices.
FROM debian:bookworm-slim
RUN groupadd --system --gid 10001 sundial \
 && useradd --system --uid 10001 --gid sundial --home-dir /var/lib/sundial --shell /usr/sbin/nologin sundial \
 && mkdir -p /var/lib/sundial && chown sundial:sundial /var/lib/sundial
COPY --from=build /opt/sundial /opt/sundial
USER sundial
WORKDIR /var/lib/sundial
ENV SUNDIAL_DATA_DIR=/var/lib/sundial
VOLUME ["/var/lib/sundial"]
# 8086 HTTP API (InfluxDB and Prometheus APIs), 5432 PostgreSQL wire protocol. The TCP line protocol
# (8089) carries no credentials, so it is off here; enable it with --lp-addr :8089 --insecure-no-auth.
EXPOSE 8086 5432
# /ready answers 200 once the databases are open and the listeners accept (bash's /dev/tcp: no curl in the image).
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8086 && printf 'GET /ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# Listen on all interfaces inside the container; publish ports with -p to choose who reaches them.
# Both listeners authenticate against the users in the volume (see the first-run step above).
ENTRYPOINT ["/opt/sundial/bin/sundial"]
CMD ["server", "--http-addr", ":8086", "--pg-addr", ":5432", "--lp-addr", "off"]
