#!/usr/bin/env python3
"""Compares our .proto files (Sources/JinaProto/Protos) with the descriptors the reference
Python packages were generated from: Jina 3.34 (docarray-v2 mode), docarray 0.41 and
grpcio-health-checking. Every message (recursively), field (name, number, type, type name,
label, oneof, proto3 `optional`, map-ness), enum and service/method (name, input/output types,
streaming) must match. Exit status 0 when everything matches, 1 otherwise.

Run in the reference venv (scripts/reference-venv.sh), which also has grpcio-tools:
    "$(scripts/reference-venv.sh | tail -1)/bin/python" Tests/Interop/compare_descriptors.py
"""
import argparse
import importlib
import os
import sys
import tempfile

from google.protobuf import descriptor_pb2

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")  # importing jina must not phone home

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROTO_DIR = os.path.join(ROOT, "Sources", "JinaProto", "Protos")

# our file -> reference modules; each one that imports is compared. Jina and docarray ship two
# generated copies (`pb` for protobuf 4.x, `pb2` otherwise: with the pinned protobuf 5.29 the
# runtime uses `pb2`); both must match.
REFERENCES = {
    "jina.proto": ["jina.proto.docarray_v2.pb2.jina_pb2", "jina.proto.docarray_v2.pb.jina_pb2"],
    "docarray.proto": ["docarray.proto.pb2.docarray_pb2", "docarray.proto.pb.docarray_pb2"],
    "health.proto": ["grpc_health.v1.health_pb2"],
}

LABELS = {v: k for k, v in descriptor_pb2.FieldDescriptorProto.Label.items()}
TYPES = {v: k for k, v in descriptor_pb2.FieldDescriptorProto.Type.items()}


def compile_ours(files, proto_dir):
    from grpc_tools import protoc
    import grpc_tools

    wkt = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "set.pb")
        args = ["protoc", f"-I{proto_dir}", f"-I{wkt}", f"--descriptor_set_out={out}", *files]
        if protoc.main(args) != 0:
            sys.exit("protoc failed on our .proto files")
        fds = descriptor_pb2.FileDescriptorSet()
        with open(out, "rb") as f:
            fds.ParseFromString(f.read())
    return {fd.name: fd for fd in fds.file}


def references(candidates):
    found = []
    for name in candidates:
        try:
            mod = importlib.import_module(name)
        except Exception:  # ImportError, or a generated module too old for this protobuf
            continue
        fdp = descriptor_pb2.FileDescriptorProto()
        mod.DESCRIPTOR.CopyToProto(fdp)
        found.append((name, fdp))
    if not found:
        sys.exit(f"none of {candidates} importable: run in the reference venv")
    return found


def field_sig(msg, f):
    oneof = msg.oneof_decl[f.oneof_index].name if f.HasField("oneof_index") else None
    return {
        "number": f.number,
        "label": LABELS[f.label],
        "type": TYPES[f.type],
        "type_name": f.type_name.lstrip("."),
        "oneof": oneof,
        "proto3_optional": f.proto3_optional,
        "json_name": f.json_name or None,
    }


def compare_enum(path, a, b, out):
    va = {v.name: v.number for v in a.value}
    vb = {v.name: v.number for v in b.value}
    if va != vb:
        out.append(f"enum {path}: ours {va} != reference {vb}")


def compare_message(path, a, b, out):
    fa = {f.name: field_sig(a, f) for f in a.field}
    fb = {f.name: field_sig(b, f) for f in b.field}
    for name in sorted(set(fa) | set(fb)):
        if name not in fa:
            out.append(f"{path}.{name}: missing in ours (reference {fb[name]})")
        elif name not in fb:
            out.append(f"{path}.{name}: not in reference (ours {fa[name]})")
        else:
            # json_name is filled in by protoc but may be absent in a python descriptor
            sa, sb = dict(fa[name]), dict(fb[name])
            if sa["json_name"] is None or sb["json_name"] is None:
                sa.pop("json_name"), sb.pop("json_name")
            if sa != sb:
                out.append(f"{path}.{name}: ours {sa} != reference {sb}")
    if a.options.map_entry != b.options.map_entry:
        out.append(f"{path}: map_entry ours {a.options.map_entry} != reference {b.options.map_entry}")
    oa = [o.name for o in a.oneof_decl]
    ob = [o.name for o in b.oneof_decl]
    if oa != ob:
        out.append(f"{path}: oneofs ours {oa} != reference {ob}")
    compare_nested(path, a.nested_type, b.nested_type, a.enum_type, b.enum_type, out)


def compare_nested(path, ma, mb, ea, eb, out):
    da = {m.name: m for m in ma}
    db = {m.name: m for m in mb}
    for name in sorted(set(da) | set(db)):
        p = f"{path}.{name}" if path else name
        if name not in da:
            out.append(f"message {p}: missing in ours")
        elif name not in db:
            out.append(f"message {p}: not in reference")
        else:
            compare_message(p, da[name], db[name], out)
    xa = {e.name: e for e in ea}
    xb = {e.name: e for e in eb}
    for name in sorted(set(xa) | set(xb)):
        p = f"{path}.{name}" if path else name
        if name not in xa:
            out.append(f"enum {p}: missing in ours")
        elif name not in xb:
            out.append(f"enum {p}: not in reference")
        else:
            compare_enum(p, xa[name], xb[name], out)


def compare_services(pkg, a, b, out):
    sa = {s.name: s for s in a.service}
    sb = {s.name: s for s in b.service}
    for name in sorted(set(sa) | set(sb)):
        if name not in sa:
            out.append(f"service {pkg}.{name}: missing in ours")
            continue
        if name not in sb:
            out.append(f"service {pkg}.{name}: not in reference")
            continue

        def sig(m):
            return (m.input_type.lstrip("."), m.output_type.lstrip("."), m.client_streaming, m.server_streaming)

        ma = {m.name: sig(m) for m in sa[name].method}
        mb = {m.name: sig(m) for m in sb[name].method}
        for m in sorted(set(ma) | set(mb)):
            if ma.get(m) != mb.get(m):
                out.append(f"/{pkg}.{name}/{m}: ours {ma.get(m)} != reference {mb.get(m)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-v", "--verbose", action="store_true", help="list what was compared")
    ap.add_argument("--proto-dir", default=PROTO_DIR, help="directory of our .proto files (default: %(default)s)")
    args = ap.parse_args()

    ours = compile_ours(sorted(REFERENCES), args.proto_dir)
    problems = []
    for fname, candidates in REFERENCES.items():
        mine = ours[fname]
        for modname, ref in references(candidates):
            out = []
            if mine.package != ref.package:
                out.append(f"package: ours {mine.package!r} != reference {ref.package!r}")
            if mine.syntax != ref.syntax:
                out.append(f"syntax: ours {mine.syntax!r} != reference {ref.syntax!r}")
            if list(mine.dependency) != list(ref.dependency):
                out.append(f"imports: ours {list(mine.dependency)} != reference {list(ref.dependency)}")
            compare_nested("", mine.message_type, ref.message_type, mine.enum_type, ref.enum_type, out)
            compare_services(mine.package, mine, ref, out)
            status = "OK" if not out else f"{len(out)} difference(s)"
            print(f"{fname} vs {modname} ({ref.name}, package {ref.package}): {status}")
            if args.verbose:
                print(f"  messages: {', '.join(m.name for m in ref.message_type)}")
                print(f"  services: {', '.join(s.name for s in ref.service) or '-'}")
            for line in out:
                print(f"  {line}")
            problems += out
    print("DESCRIPTORS MATCH" if not problems else f"DESCRIPTORS DIFFER ({len(problems)})")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
