# The `jina` image: the gateway and the built-in executors, as `jina export kubernetes` and
# `jina export docker-compose` run them (docs/kubernetes.md).
#   docker build -t jina:0.1.0 .
# Custom executors: build an image FROM this one with the program as ENTRYPOINT and use it
# as `uses: docker://IMAGE`.

# ---- build stage: the Swift toolchain that matches Package.swift (tools 6.1, built with 6.3.1)
FROM swift:6.3.1-bookworm AS build
# libyaml-dev: headers and pkg-config file of the system library CLibYAML links.
# libhnswlib-dev: hnswlib's headers (header-only C++, compiled into the binary: CJinaHNSW).
# libstb-dev: stb_image's headers (header-only C, compiled into the binary: CJinaImage).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libyaml-dev libhnswlib-dev libstb-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Every target's folder must exist for SwiftPM to load the package (tests and examples too),
# so the whole package is copied before building; .dockerignore keeps the rest out.
# Package.resolved is not in the repository (.gitignore): direct dependencies are pinned `exact:`
# in Package.swift, so the build resolves the same ones without it.
COPY Package.swift ./
COPY Sources ./Sources
COPY Examples ./Examples
COPY Tests ./Tests
# The Swift runtime goes into the binary; libyaml and glibc stay shared (runtime stage).
# No runtime exclusivity checks in release (scripts/build-release.sh says why).
RUN swift build -c release --static-swift-stdlib -Xswiftc -enforce-exclusivity=unchecked --product jina \
    && install -D "$(swift build -c release --show-bin-path)/jina" /out/jina

# ---- runtime stage
FROM debian:bookworm-slim
# With --static-swift-stdlib, `ldd jina` lists only libyaml, libstdc++, libgcc_s, libz,
# libm and libc: libyaml-0-2 is added; the others are in bookworm-slim and named anyway so a
# slimmer base fails here rather than at run time. ca-certificates: TLS to external executors.
# libwebp7, libturbojpeg0: WebP decoding and fast JPEG decoding, loaded with dlopen by
# ImageEncoder only. The model executors also need
# ONNX Runtime and the models: mount what scripts/install-models.sh installs and set JINA_MODELS.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libyaml-0-2 libstdc++6 libgcc-s1 zlib1g libwebp7 libturbojpeg0 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# A numeric UID, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
# /hub: where an exported Flow's init step (`jina hub pull … --output /hub/package`) puts a Hub
# package; owned by jina so a compose named volume mounted there starts writable for it.
RUN groupadd --system --gid 10001 jina \
    && useradd --system --uid 10001 --gid jina --home-dir /app --create-home --shell /usr/sbin/nologin jina \
    && install -d -o 10001 -g 10001 /hub
COPY --from=build /out/jina /usr/local/bin/jina
WORKDIR /app
USER 10001:10001
ENV JINA_LOG_LEVEL=INFO
# Executors listen on 8080 in exported manifests; metrics on 9090.
EXPOSE 8080 9090
ENTRYPOINT ["jina"]
CMD ["--help"]
