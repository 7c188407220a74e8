# syntax=docker/dockerfile:1
# missive for a batch host or a server: a release build, then a small image that runs it as a
# user without privileges. The bundled standard (a fictional bank) is in /standard as an example;
# mount your own there.
#
#   docker build -t missive .
#   docker run --rm missive check                                  # the example standard
#   docker run --rm -v "$PWD:/standard" -v /srv/billing:/data missive \
#       batch invoice --data /data/invoices.csv --out-dir /data/letters
#   docker run --rm -p 8080:8080 -v "$PWD:/standard:ro" -v /run/secrets/missive-token:/token:ro \
#       missive serve --listen 0.0.0.0:8080 --token-file /token

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked \
    && install -m 0755 target/release/missive /usr/local/bin/missive

FROM debian:bookworm-slim
# ca-certificates: SMTP over TLS checks the relay's certificate against the system's roots.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates=20230311* \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /standard --shell /usr/sbin/nologin missive
COPY --from=build /usr/local/bin/missive /usr/local/bin/missive
# The PDF font is compiled into the binary; its licence travels with it.
COPY fonts/LICENSE-DejaVu.txt /usr/share/doc/missive/
COPY --chown=10001:10001 missive.toml /standard/
COPY --chown=10001:10001 templates /standard/templates
COPY --chown=10001:10001 locales /standard/locales
COPY --chown=10001:10001 rules /standard/rules
COPY --chown=10001:10001 fixtures /standard/fixtures
COPY --chown=10001:10001 attachments /standard/attachments
COPY --chown=10001:10001 images /standard/images
COPY --chown=10001:10001 fonts /standard/fonts
USER 10001
WORKDIR /standard
VOLUME ["/standard", "/data"]
ENTRYPOINT ["missive"]
CMD ["--help"]
