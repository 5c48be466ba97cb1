"""The Dockerfile cannot be built here (no Docker engine), so these checks read it the way
`docker build` would on a fresh clone: every file the build stage copies must be in the
repository and not dropped by .dockerignore, the runtime stage must run `jina` as a non-root
user, and the build must produce the product the manifests run."""
import fnmatch
import subprocess

from conftest import REPO


def instructions():
    """(instruction, arguments) per logical line, continuation lines joined."""
    lines, current = [], ""
    for raw in (REPO / "Dockerfile").read_text().splitlines():
        if raw.lstrip().startswith("#") or not raw.strip():
            continue
        current += raw.rstrip("\\").strip() + " "
        if not raw.rstrip().endswith("\\"):
            word, _, rest = current.strip().partition(" ")
            lines.append((word.upper(), rest.strip()))
            current = ""
    return lines


def tracked_files():
    out = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    return set(out.split())


def ignored_by_dockerignore(path, patterns):
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        body = pattern[1:] if negate else pattern
        hit = fnmatch.fnmatch(path, body) or path.startswith(body.rstrip("/") + "/") \
            or fnmatch.fnmatch(path.split("/")[0], body)
        if hit:
            ignored = not negate
    return ignored


def test_every_copied_path_is_in_a_fresh_clone():
    tracked = tracked_files()
    patterns = [line.strip() for line in (REPO / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    copies = [args.split() for word, args in instructions() if word == "COPY" and not args.startswith("--from")]
    assert copies, "the build stage copies nothing"
    for arguments in copies:
        for source in arguments[:-1]:
            present = [f for f in tracked if f == source or f.startswith(source.rstrip("/") + "/")]
            assert present, f"COPY {source}: not in the repository (a fresh clone has no such file)"
            kept = [f for f in present if not ignored_by_dockerignore(f, patterns)]
            assert kept, f"COPY {source}: every file is excluded by .dockerignore"


def test_the_image_runs_jina_as_a_non_root_user():
    steps = instructions()
    runtime = steps[max(i for i, (word, _) in enumerate(steps) if word == "FROM"):]
    users = [args for word, args in runtime if word == "USER"]
    assert users and not users[-1].split(":")[0] in ("root", "0"), users
    assert ("ENTRYPOINT", '["jina"]') in runtime
    assert any(word == "COPY" and args.startswith("--from=build") and "/usr/local/bin/jina" in args
               for word, args in runtime)


def test_the_build_stage_builds_the_jina_product_statically():
    runs = " ".join(args for word, args in instructions() if word == "RUN")
    assert "swift build -c release --static-swift-stdlib -Xswiftc -enforce-exclusivity=unchecked --product jina" in runs
