#!/usr/bin/env bash
# Regenerates Sources/CostReplayCollector/Generated/*.pb.swift from the OTLP .proto files. Run by hand, never in CI
# (building protoc-gen-swift takes minutes; the generated files are committed).
#
# Needs: protoc (Debian protobuf-compiler 3.21.12), git, swift. Inputs, pinned:
#   - opentelemetry-proto v1.11.0 (Apache-2.0): OPENTELEMETRY_PROTO=path to a clone of
#     https://github.com/open-telemetry/opentelemetry-proto
#   - swift-protobuf 1.39.0 (the runtime Package.swift names): SWIFT_PROTOBUF=path to a clone of
#     https://github.com/apple/swift-protobuf, whose protoc-gen-swift is built here.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
proto_repo="${OPENTELEMETRY_PROTO:?set OPENTELEMETRY_PROTO to a clone of opentelemetry-proto}"
swift_protobuf="${SWIFT_PROTOBUF:?set SWIFT_PROTOBUF to a clone of swift-protobuf}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git -C "$proto_repo" archive v1.11.0 opentelemetry/proto/common opentelemetry/proto/resource opentelemetry/proto/trace \
  opentelemetry/proto/collector/trace | tar -x -C "$work"
git -C "$swift_protobuf" checkout -q 1.39.0
(cd "$swift_protobuf" && swift build -c release --product protoc-gen-swift)
out="$root/Sources/CostReplayCollector/Generated"
rm -f "$out"/*.pb.swift
protoc --plugin=protoc-gen-swift="$swift_protobuf/.build/release/protoc-gen-swift" \
  --swift_opt=FileNaming=DropPath --swift_out="$out" -I "$work" \
  "$work"/opentelemetry/proto/common/v1/common.proto "$work"/opentelemetry/proto/resource/v1/resource.proto \
  "$work"/opentelemetry/proto/trace/v1/trace.proto "$work"/opentelemetry/proto/collector/trace/v1/trace_service.proto
ls "$out"
