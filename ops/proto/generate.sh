#!/usr/bin/env bash
# Regenerates Sources/CDSRosterProto from proto/: the protobuf messages (protoc-gen-swift) and the gRPC service
# stubs (protoc-gen-grpc-swift-2), both plugins built from this package's own dependencies, so that the generated
# code always matches the runtime it compiles against. protoc comes from Debian's protobuf-compiler.
#
# Usage: ops/proto/generate.sh   (the first build of the plugins takes several minutes; the output is committed)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v protoc >/dev/null || {
    echo "protoc is missing: apt-get install protobuf-compiler" >&2
    exit 1
}
swift build -c release --product protoc-gen-swift >/dev/null
swift build -c release --product protoc-gen-grpc-swift-2 >/dev/null
bin=$(swift build -c release --show-bin-path)
out=Sources/CDSRosterProto
rm -f "$out"/*.pb.swift "$out"/*.grpc.swift
protos=(cds/roster/v1/roster_sync.proto grpc/health/v1/health.proto)
protoc --proto_path=proto \
    --plugin=protoc-gen-swift="$bin/protoc-gen-swift" --swift_out="$out" \
    --swift_opt=Visibility=Public --swift_opt=FileNaming=PathToUnderscores \
    --plugin=protoc-gen-grpc-swift="$bin/protoc-gen-grpc-swift-2" --grpc-swift_out="$out" \
    --grpc-swift_opt=Visibility=Public --grpc-swift_opt=FileNaming=PathToUnderscores \
    "${protos[@]}"
ls "$out"
