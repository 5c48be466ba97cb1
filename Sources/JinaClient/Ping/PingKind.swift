/// What `jina ping` checks.
public enum PingKind: String, Sendable, CaseIterable {
    /// The whole graph: a dry run through every executor (gRPC `JinaGatewayDryRunRPC/dry_run`,
    /// HTTP `GET /dry_run`, WebSocket `/dry_run`).
    case flow
    /// The gateway server alone: gRPC health (`service=""` → SERVING) or HTTP `GET /` → 200.
    case gateway
    /// One executor server: the same checks as `gateway`.
    case executor
}
