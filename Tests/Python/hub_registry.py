"""Test support for the `jina hub` suites: a throwaway OCI registry on a loopback port, and an
independent OCI client to put artifacts into it and read them back.

The registry is Debian's `docker-registry` (the CNCF distribution registry, 2.8), started here
on a port from `free_port()` with its storage in a temporary folder, optionally behind htpasswd
(bcrypt) basic auth. The Debian package also enables a system service on port 5000; nothing here
uses it. The client is the PyPI `oras` package. Both come from scripts/install-hub-deps.sh.

Nothing sleeps to wait: the registry is ready when it logs the line `listening on ADDR` (read by
a thread that also copies its output into the log file), confirmed by one `GET /v2/`.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import http.client
import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import tarfile
import tempfile
import threading
from dataclasses import dataclass

import pytest

from conftest import free_port

REGISTRY_BIN = "/usr/bin/docker-registry"
START_TIMEOUT = 20
STOP_TIMEOUT = 10

# The user of the `auth_registry` fixture.
AUTH_USER = "alice"
AUTH_PASSWORD = "s3cret-pass"

# What the oras clients put in manifests (oras-py 0.2.x and the Go `oras` CLI agree on these).
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
MANIFEST_ACCEPT = ", ".join((OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST))
LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
LAYER_TAR = "application/vnd.oci.image.layer.v1.tar"
UNKNOWN_CONFIG = "application/vnd.unknown.config.v1+json"
ANNOTATION_TITLE = "org.opencontainers.image.title"
ANNOTATION_UNPACK = "io.deis.oras.content.unpack"
ANNOTATION_CONTENT_DIGEST = "io.deis.oras.content.digest"


def _require_installed():
    # A missing registry fails the test rather than skipping it: CI installs it (scripts/test.sh).
    assert os.access(REGISTRY_BIN, os.X_OK), f"{REGISTRY_BIN} missing: run scripts/install-hub-deps.sh"


def bcrypt_htpasswd_line(user: str, password: str) -> str:
    """One htpasswd line `user:$2y$...` with a bcrypt hash (the registry accepts no other kind),
    from `htpasswd -B` (apache2-utils) or else the `bcrypt` module."""
    htpasswd = shutil.which("htpasswd")
    if htpasswd:
        out = subprocess.run([htpasswd, "-nbB", user, password], capture_output=True, text=True,
                             check=True, timeout=30).stdout
        return out.strip().splitlines()[0]
    try:
        import bcrypt
    except ImportError:
        raise AssertionError("neither `htpasswd` nor the bcrypt module: run scripts/install-hub-deps.sh")
    return f"{user}:{bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=5)).decode()}"


def basic_auth(user: str, password: str) -> str:
    """The value of an `Authorization` header for HTTP basic auth."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class Registry:
    """`docker-registry serve CONFIG` on 127.0.0.1:PORT, storage and log under `workdir`. With
    `user` and `password` it requires basic auth (htpasswd, bcrypt). Use as a context manager or
    call start()/stop(); `host` is "127.0.0.1:PORT", `url` "http://127.0.0.1:PORT"."""

    def __init__(self, workdir: str | os.PathLike, user: str | None = None, password: str | None = None,
                 realm: str = "jina-hub-test"):
        self.workdir = pathlib.Path(workdir)
        self.user, self.password, self.realm = user, password, realm
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.url = f"http://{self.host}"
        self.storage = self.workdir / "storage"
        self.config_path = self.workdir / "config.yml"
        self.log_path = self.workdir / "registry.log"
        self.proc: subprocess.Popen | None = None
        self._listening = threading.Event()
        self._saw_listening = False
        self._reader: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    def _write_config(self):
        self.storage.mkdir(parents=True, exist_ok=True)
        lines = [
            "version: 0.1",
            "log:",
            "  level: info",
            "  formatter: text",
            "storage:",
            "  filesystem:",
            f"    rootdirectory: {json.dumps(str(self.storage))}",
            "  delete:",
            "    enabled: true",
            "  maintenance:",
            "    uploadpurging:",
            "      enabled: false",
            "http:",
            f"  addr: {self.host}",
            "  secret: jina-hub-test-not-a-secret",  # else it logs a warning and makes one up
            "  headers:",
            "    X-Content-Type-Options: [nosniff]",
            "health:",
            "  storagedriver:",
            "    enabled: false",
        ]
        if self.user is not None:
            htpasswd = self.workdir / "htpasswd"
            htpasswd.write_text(bcrypt_htpasswd_line(self.user, self.password or "") + "\n")
            lines += ["auth:", "  htpasswd:", f"    realm: {json.dumps(self.realm)}",
                      f"    path: {json.dumps(str(htpasswd))}"]
        self.config_path.write_text("\n".join(lines) + "\n")

    def _read_output(self, stream, log):
        """Copies the registry's output into the log file; flags the `listening on` line. At EOF
        (the process ended) it flags too, so start() does not wait out its deadline."""
        try:
            for line in stream:
                log.write(line)
                log.flush()
                if "listening on" in line:
                    self._saw_listening = True
                    self._listening.set()
        finally:
            self._listening.set()
            log.close()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def start(self) -> "Registry":
        _require_installed()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._write_config()
        # REGISTRY_* variables would override the config file.
        env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
        self.proc = subprocess.Popen([REGISTRY_BIN, "serve", str(self.config_path)], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                                     cwd=self.workdir)
        log = open(self.log_path, "w")
        self._reader = threading.Thread(target=self._read_output, args=(self.proc.stdout, log), daemon=True)
        self._reader.start()
        listening = self._listening.wait(START_TIMEOUT)
        status = None
        if listening and self.proc.poll() is None:
            try:
                status = self.request("GET", "/v2/", auth=False).status
            except OSError as exc:
                status = f"GET /v2/ failed: {exc}"
        if status not in (200, 401):
            try:  # its output ended: let it be reaped
                exit_code = self.proc.wait(2)
            except subprocess.TimeoutExpired:
                exit_code = None
            self.stop()
            why = (f"it exited with code {exit_code}" if exit_code is not None
                   else f"no `listening on` line within {START_TIMEOUT} s" if not self._saw_listening
                   else f"GET /v2/ answered {status}")
            raise AssertionError(f"docker-registry on {self.host} did not start: {why}; "
                                 f"log {self.log_path}:\n{self.log_tail()}")
        return self

    def stop(self):
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(STOP_TIMEOUT)
        if self._reader is not None:
            self._reader.join(STOP_TIMEOUT)

    def __enter__(self) -> "Registry":
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- plain HTTP -----------------------------------------------------------------------------

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                auth: bool | tuple[str, str] = True) -> "Response":
        """One HTTP request to the registry. `auth=True` sends this registry's credentials (if it
        has any), `False` none, a (user, password) pair those."""
        headers = dict(headers or {})
        if auth is True and self.user is not None:
            auth = (self.user, self.password or "")
        if isinstance(auth, tuple):
            headers["Authorization"] = basic_auth(*auth)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            return Response(resp.status, dict(resp.getheaders()), resp.read())
        finally:
            conn.close()

    def ref(self, repository: str, tag_or_digest: str = "latest") -> str:
        """`127.0.0.1:PORT/repository:tag` (or `@sha256:...`)."""
        sep = "@" if tag_or_digest.startswith("sha256:") else ":"
        return f"{self.host}/{repository}{sep}{tag_or_digest}"

    # -- oras ----------------------------------------------------------------------------------

    def oras(self, auth: bool | tuple[str, str] = True):
        """An oras client for this registry over plain HTTP, with basic auth when it has a user."""
        return oras_client(self.host, *(self._credentials(auth) or ()))

    def _credentials(self, auth) -> tuple[str, str] | None:
        if auth is True:
            return (self.user, self.password or "") if self.user is not None else None
        return auth or None


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None

    def json(self):
        return json.loads(self.body)


@dataclass
class Manifest:
    raw: bytes            # the bytes the registry serves (their sha256 is `digest`)
    digest: str           # Docker-Content-Digest
    media_type: str       # Content-Type
    data: dict            # parsed


# ---------------------------------------------------------------------------------------------
# oras (the PyPI package) as the independent client


def oras_client(host: str, user: str | None = None, password: str | None = None):
    """An `oras.client.OrasClient` for http://host. With a user it answers the registry's Basic
    challenge itself (oras's "basic" backend); without, it uses the default "token" backend,
    which the unauthenticated registry never exercises (against a Basic-auth registry that
    backend, having no credentials, takes the realm for a token URL and fails with requests'
    MissingSchema: check refusals with Registry.request instead). oras also reads ~/.docker/config.json
    (or $DOCKER_CONFIG) for credentials: point DOCKER_CONFIG elsewhere if a test writes one."""
    import oras.client

    if user is not None:
        client = oras.client.OrasClient(hostname=host, insecure=True, auth_backend="basic")
        client.auth.set_basic_auth(user, password or "")
    else:
        client = oras.client.OrasClient(hostname=host, insecure=True)
    return client


def _client_for(registry_or_host, auth):
    if isinstance(registry_or_host, Registry):
        return registry_or_host.oras(auth), registry_or_host.host
    creds = auth if isinstance(auth, tuple) else None
    return oras_client(registry_or_host, *(creds or ())), registry_or_host


def push_dir(registry: Registry | str, ref: str, folder: str | os.PathLike, *, config: bytes | None = None,
             config_media_type: str | None = None, manifest_annotations: dict | None = None,
             auth: bool | tuple[str, str] = True) -> Manifest:
    """Pushes `folder` exactly as `oras.client.OrasClient.push(files=[folder])` does: one layer,
    the folder tarred (top entry = the folder's name, mtimes zeroed, modes kept) and gzipped,
    media type `application/vnd.oci.image.layer.v1.tar+gzip`, annotated only with
    `org.opencontainers.image.title: <folder name>`; the config is `{}` as
    `application/vnd.unknown.config.v1+json` unless `config` bytes (and their media type) are
    given. `ref` is "repository:tag" (or a full "host/repository:tag"). Returns the pushed manifest
    as the registry serves it."""
    client, host = _client_for(registry, auth)
    folder = pathlib.Path(folder).resolve()
    target = ref if ref.startswith(host + "/") else f"{host}/{ref}"
    with tempfile.TemporaryDirectory() as tmp:
        manifest_config = None
        if config is not None:
            config_file = pathlib.Path(tmp) / "config.json"
            config_file.write_bytes(config)
            manifest_config = f"{config_file}:{config_media_type or UNKNOWN_CONFIG}"
        response = client.push(target=target, files=[str(folder)], manifest_config=manifest_config,
                               manifest_annotations=manifest_annotations, disable_path_validation=True,
                               quiet=True)
    assert response.status_code == 201, f"oras push {target}: {response.status_code} {response.text}"
    return fetch_manifest(registry, ref, auth=auth)


def dir_tar_gz(folder: str | os.PathLike) -> tuple[bytes, str]:
    """The folder as the Go `oras` CLI packs one: a gzipped tar whose top entry is the folder's
    name (mtimes zeroed, modes kept). Returns (tar.gz bytes, sha256 digest of the uncompressed
    tar), the latter being what `io.deis.oras.content.digest` carries."""
    folder = pathlib.Path(folder).resolve()
    raw = io.BytesIO()

    def reset(info):
        info.mtime = 0
        return info

    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.add(folder, arcname=folder.name, filter=reset)
    tar_bytes = raw.getvalue()
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0) as out:
        out.write(tar_bytes)
    return gz.getvalue(), "sha256:" + hashlib.sha256(tar_bytes).hexdigest()


def push_manifest(registry: Registry | str, ref: str, layers: list[tuple[bytes, str, dict]], *,
                  config: bytes = b"{}", config_media_type: str = UNKNOWN_CONFIG,
                  artifact_type: str | None = None, annotations: dict | None = None,
                  auth: bool | tuple[str, str] = True) -> Manifest:
    """Pushes a hand-made OCI image manifest through oras's own blob and manifest uploads, for what
    `OrasClient.push` cannot express: an `artifactType`, per-layer annotations (for example the Go
    CLI's unpack annotations, see push_dir_like_go_oras) or arbitrary blobs. `layers` are
    (bytes, media type, annotations). Returns the manifest as the registry serves it."""
    client, host = _client_for(registry, auth)
    target = ref if ref.startswith(host + "/") else f"{host}/{ref}"
    container = client.get_container(target)
    with tempfile.TemporaryDirectory() as tmp:
        def upload(data: bytes, media_type: str) -> dict:
            path = pathlib.Path(tmp) / hashlib.sha256(data).hexdigest()
            path.write_bytes(data)
            desc = {"mediaType": media_type, "digest": "sha256:" + hashlib.sha256(data).hexdigest(),
                    "size": len(data)}
            response = client.upload_blob(str(path), container, desc)
            assert response.status_code in (200, 201, 202), \
                f"blob upload {desc['digest']}: {response.status_code} {response.text}"
            return desc

        manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST}
        if artifact_type:
            manifest["artifactType"] = artifact_type
        manifest["config"] = upload(config, config_media_type)
        manifest["layers"] = []
        for data, media_type, layer_annotations in layers:
            desc = upload(data, media_type)
            if layer_annotations:
                desc["annotations"] = dict(layer_annotations)
            manifest["layers"].append(desc)
        if annotations:
            manifest["annotations"] = dict(annotations)
    response = client.upload_manifest(manifest, container)
    assert response.status_code == 201, f"manifest put {target}: {response.status_code} {response.text}"
    return fetch_manifest(registry, ref, auth=auth)


def push_dir_like_go_oras(registry: Registry | str, ref: str, folder: str | os.PathLike, *,
                          config: bytes = b"{}", config_media_type: str = UNKNOWN_CONFIG,
                          artifact_type: str | None = None, annotations: dict | None = None,
                          auth: bool | tuple[str, str] = True) -> Manifest:
    """Pushes `folder` the way the Go `oras push DIR` does: a tar+gzip layer annotated with its
    title, `io.deis.oras.content.unpack: "true"` (which the Go CLI's pull needs to unpack it) and
    `io.deis.oras.content.digest` (sha256 of the uncompressed tar). oras-py pulls it too (it
    unpacks any tar+gzip layer)."""
    blob, tar_digest = dir_tar_gz(folder)
    layer_annotations = {ANNOTATION_TITLE: pathlib.Path(folder).resolve().name,
                         ANNOTATION_CONTENT_DIGEST: tar_digest, ANNOTATION_UNPACK: "true"}
    return push_manifest(registry, ref, [(blob, LAYER_TAR_GZIP, layer_annotations)], config=config,
                         config_media_type=config_media_type, artifact_type=artifact_type,
                         annotations=annotations, auth=auth)


def pull(registry: Registry | str, ref: str, outdir: str | os.PathLike,
         auth: bool | tuple[str, str] = True) -> list[pathlib.Path]:
    """`OrasClient.pull` of `ref` into `outdir` (created if missing). A tar+gzip layer is unpacked
    into `outdir` itself (so a pushed folder lands as outdir/<folder name>, modes kept), any other
    layer is written as outdir/<its title annotation>. Returns the paths oras reports."""
    client, host = _client_for(registry, auth)
    target = ref if ref.startswith(host + "/") else f"{host}/{ref}"
    outdir = pathlib.Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    return [pathlib.Path(p) for p in client.pull(target=target, outdir=str(outdir))]


def fetch_manifest(registry: Registry | str, ref: str, auth: bool | tuple[str, str] = True) -> Manifest:
    """GET /v2/<repository>/manifests/<tag or digest> through oras's request path (so its auth
    applies), accepting OCI and Docker manifests and indexes."""
    client, host = _client_for(registry, auth)
    target = ref if ref.startswith(host + "/") else f"{host}/{ref}"
    container = client.get_container(target)
    client.auth.load_configs(container)
    response = client.do_request(f"{client.prefix}://{container.manifest_url()}", "GET",
                                 headers={"Accept": MANIFEST_ACCEPT})
    assert response.status_code == 200, f"GET manifest {target}: {response.status_code} {response.text}"
    raw = response.content
    digest = response.headers.get("Docker-Content-Digest", "")
    assert digest == "sha256:" + hashlib.sha256(raw).hexdigest(), f"{target}: digest {digest} does not match the body"
    return Manifest(raw=raw, digest=digest, media_type=response.headers.get("Content-Type", ""), data=json.loads(raw))


# ---------------------------------------------------------------------------------------------
# a token-auth front: how Docker Hub, GHCR and ECR ask for credentials


class BearerFront:
    """An HTTP front for a Registry that answers like registries with a token service: a request
    without a valid bearer token gets 401 `WWW-Authenticate: Bearer realm=".../token",
    service="jina-test",scope="repository:NAME:ACTION"`; `GET /token?service=&scope=` hands out a
    token for those scopes — to anyone for `pull`, only with Basic `user:password` for `push`.
    Valid requests are passed on to the registry. `tokens` lists the scopes asked for.

    `fail_first_patch`: the first blob PATCH is passed on with only the first half of its body
    (its Content-Range cut to match) and then answered 500, as an upload cut off mid-way; the
    registry keeps the half. The distribution registry's upload addresses change with every
    answer (`_state`), so the client's address is stale then; `stable_uploads` makes the front
    keep each upload's address stable (as registries with plain session URLs do) by sending it
    to the upload's latest upstream address, so a client can ask how far it got and resume."""

    def __init__(self, upstream: Registry, user: str, password: str, fail_first_patch: bool = False,
                 stable_uploads: bool = False):
        import http.server

        self.upstream, self.user, self.password = upstream, user, password
        self.fail_first_patch = fail_first_patch
        self.stable_uploads = stable_uploads
        self.latest_upload: dict[str, str] = {}  # upload id → its latest upstream path
        self.tokens: list[str] = []
        self.requests: list[tuple[str, str]] = []
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        front = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                front._handle(self)

            do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "BearerFront":
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(STOP_TIMEOUT)

    @staticmethod
    def _scope(method: str, path: str) -> str | None:
        parts = path.split("?")[0].split("/")
        for marker in ("manifests", "blobs", "tags"):
            if marker in parts:
                repository = "/".join(parts[2:parts.index(marker)])
                action = "pull" if method in ("GET", "HEAD") else "push"
                return f"repository:{repository}:{action}"
        return None

    def _reply(self, handler, status, headers=None, body=b""):
        handler.send_response(status)
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(body)

    def _handle(self, handler):
        import urllib.parse

        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        self.requests.append((handler.command, handler.path))
        url = urllib.parse.urlsplit(handler.path)
        if url.path == "/token":
            query = urllib.parse.parse_qs(url.query)
            scopes = query.get("scope", [])
            self.tokens.extend(scopes)
            authorized = handler.headers.get("Authorization") == basic_auth(self.user, self.password)
            if handler.headers.get("Authorization") and not authorized:
                return self._reply(handler, 401, {}, b'{"details":"bad credentials"}')
            granted = [s for s in scopes if authorized or s.endswith(":pull")]
            token = base64.urlsafe_b64encode(json.dumps(granted).encode()).decode()
            return self._reply(handler, 200, {"Content-Type": "application/json"},
                               json.dumps({"token": token}).encode())
        needed = self._scope(handler.command, url.path)
        granted: list[str] = []
        auth = handler.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            try:
                granted = json.loads(base64.urlsafe_b64decode(auth[len("Bearer "):]))
            except ValueError:
                granted = []

        def covers(scope):
            repository, action = scope.rsplit(":", 1)
            return any(g.rsplit(":", 1)[0] == repository and action in g.rsplit(":", 1)[1].split(",") for g in granted)

        if needed is not None and not covers(needed):
            challenge = (f'Bearer realm="http://{self.host}/token",service="jina-test",scope="{needed}"')
            return self._reply(handler, 401, {"WWW-Authenticate": challenge, "Content-Type": "application/json"},
                               b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}')
        headers = {k: v for k, v in handler.headers.items()
                   if k.lower() not in ("authorization", "host", "content-length", "connection")}
        path = handler.path
        upload = re.search(r"/blobs/uploads/([0-9a-f-]{36})", url.path)
        if self.stable_uploads and upload and upload[1] in self.latest_upload:
            latest = self.latest_upload[upload[1]]
            query = urllib.parse.parse_qs(url.query)
            extra = "&".join(f"{k}={urllib.parse.quote(v[0])}" for k, v in query.items() if k != "_state")
            path = latest + (("&" if "?" in latest else "?") + extra if extra else "")

        def remember(response):
            location = response.header("Location") or ""
            moved = re.search(r"(/v2/.*/blobs/uploads/([0-9a-f-]{36}).*)", location)
            if moved:
                self.latest_upload[moved[2]] = moved[1]

        if handler.command == "PATCH" and self.fail_first_patch and len(body) > 1:
            self.fail_first_patch = False
            half = body[: len(body) // 2]
            start = int(headers.get("Content-Range", "0-0").split("-")[0])
            headers["Content-Range"] = f"{start}-{start + len(half) - 1}"
            remember(self.upstream.request("PATCH", path, body=half, headers=headers, auth=False))
            return self._reply(handler, 500, {}, b"cut off")
        response = self.upstream.request(handler.command, path, body=body if body or handler.command in
                                         ("PUT", "POST", "PATCH") else None, headers=headers, auth=False)
        remember(response)
        out = {k: v for k, v in response.headers.items()
               if k.lower() not in ("content-length", "connection", "transfer-encoding", "date")}
        if "Location" in out:
            out["Location"] = out["Location"].replace(self.upstream.host, self.host)
        self._reply(handler, response.status, out, response.body)


# ---------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture
def registry(tmp_path):
    """A fresh registry without auth for one test."""
    with Registry(tmp_path / "registry") as reg:
        yield reg


@pytest.fixture
def auth_registry(tmp_path):
    """A fresh registry for one test that requires basic auth as alice / s3cret-pass."""
    with Registry(tmp_path / "auth-registry", user=AUTH_USER, password=AUTH_PASSWORD) as reg:
        yield reg
