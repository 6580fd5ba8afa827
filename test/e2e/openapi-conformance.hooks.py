# Schemathesis hooks for test/e2e/openapi-conformance.e2e-spec.ts: tus sends an upload's bytes as
# application/offset+octet-stream, which Schemathesis serialises like any other octet stream.
import schemathesis

schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")
