// swift-tools-version:6.1
import PackageDescription

// Dependency versions are pinned exactly: generated protobuf/gRPC code in Sources/JinaProto
// was produced by plugins of these versions (see Sources/JinaProto/VERSIONS.md).
let package = Package(
    name: "jina",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "jina", targets: ["jina"]),
        .library(name: "JinaRuntime", targets: ["JinaRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/grpc/grpc-swift-2", exact: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", exact: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", exact: "1.0.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", exact: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", exact: "1.6.2"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2", exact: "1.46.0"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/GraphQLSwift/GraphQL", exact: "4.3.0"),
        .package(url: "https://github.com/apple/swift-collections", exact: "1.6.0"),
        // OpenTelemetry tracing (issue #18): OTLP over gRPC only, on the grpc-swift-2 we already use.
        .package(url: "https://github.com/swift-otel/swift-otel", exact: "1.6.0", traits: ["OTLPGRPC"]),
        .package(url: "https://github.com/apple/swift-distributed-tracing", exact: "1.7.3"),
        .package(url: "https://github.com/apple/swift-service-context", exact: "1.5.1"),
        // The Hub (issue #19): sha256 digests of OCI blobs, and gzip for their tar layers.
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio", exact: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "JinaYAML", dependencies: ["CLibYAML"]),
        // `jina _lifeline-exec`: runs a foreign program (Python Jina's worker) so that it dies with `jina flow`.
        .target(name: "CJinaLifeline"),
        // The document model (Document, DocValue, JSONValue, NDArray): what a custom executor sees
        // of JinaCore. JinaCore re-exports it.
        .target(name: "JinaDocument"),
        .target(name: "JinaCore", dependencies: ["JinaYAML", "JinaDocument"]),
        // One lifecycle per process: its services in one ServiceGroup, signals, grace period.
        .target(
            name: "JinaLifecycle",
            dependencies: [
                "JinaCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "JinaProto",
            dependencies: [
                "JinaCore",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            exclude: ["Protos", "VERSIONS.md"]
        ),
        .target(
            name: "JinaRuntime",
            dependencies: [
                "JinaDocument", "JinaCore", "JinaProto", "JinaObservability", "JinaLifecycle",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceContextModule", package: "swift-service-context"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "JinaObservability",
            dependencies: [
                "JinaCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "ServiceContextModule", package: "swift-service-context"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Exact (and later HNSW) vector search for the VectorIndex executor (issue #13).
        // Optimised in debug builds too: the tests search thousands of vectors.
        .target(name: "CJinaVectorKernels", cSettings: [.unsafeFlags(["-O2"])]),
        // hnswlib (Debian's libhnswlib-dev, header-only) behind a C interface.
        .target(name: "CJinaHNSW", cxxSettings: [.unsafeFlags(["-std=c++17", "-O2"])]),
        .target(name: "JinaVectorIndex", dependencies: ["CJinaVectorKernels", "CJinaHNSW"]),
        // Model engines (issue #14): ONNX Runtime loaded at run time, tokenizers, image decoding.
        .target(name: "CJinaImage", cSettings: [.unsafeFlags(["-O2"])]),
        .target(name: "JinaModels", dependencies: ["CJinaImage"]),
        .target(name: "JinaExecutors", dependencies: [
            "JinaRuntime", "JinaVectorIndex", "JinaModels", "JinaGateway", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(
            name: "JinaGateway",
            dependencies: [
                "JinaCore", "JinaProto", "JinaObservability",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceContextModule", package: "swift-service-context"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "GRPCInProcessTransport", package: "grpc-swift-2"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "JinaHTTPGateway",
            dependencies: [
                "JinaCore", "JinaProto", "JinaGateway",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "JinaClient",
            dependencies: [
                "JinaCore", "JinaProto",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "JinaOrchestrator",
            dependencies: [
                "JinaCore", "JinaYAML", "JinaProto", "JinaGateway", "JinaHTTPGateway", "JinaObservability", "JinaLifecycle",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "JinaExport", dependencies: ["JinaCore", "JinaYAML", "JinaHub"]),
        // Executors as OCI artifacts (issue #19): packing, a registry client, the local cache, Flow locks.
        .target(
            name: "JinaHub",
            dependencies: [
                "JinaCore", "JinaYAML",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "jina",
            dependencies: [
                "JinaYAML", "JinaCore", "JinaRuntime", "JinaExecutors", "JinaGateway", "JinaOrchestrator", "JinaExport", "JinaObservability", "JinaHTTPGateway", "JinaClient",
                "JinaHub", "CJinaLifeline", "JinaLifecycle",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(name: "upper-executor", dependencies: ["JinaRuntime"], path: "Examples/UpperExecutor"),
        .executableTarget(name: "marker-executor", dependencies: ["JinaRuntime"], path: "Examples/MarkerExecutor"),
        // The smallest custom executor (issue #11: at most 6 lines); Tests/Python serves it.
        .executableTarget(name: "shout-executor", dependencies: ["JinaRuntime"], path: "Examples/ShoutExecutor"),
        // The batching benchmark's executor (benchmarks/batching): a fixed cost per call, one call at a time.
        .executableTarget(name: "batch-executor", dependencies: ["JinaRuntime"], path: "Examples/BatchExecutor"),
        .executableTarget(name: "vector-benchmark", dependencies: ["JinaVectorIndex"], path: "Examples/VectorBenchmark"),
        .executableTarget(name: "model-benchmark", dependencies: ["JinaModels"], path: "Examples/ModelBenchmark"),
        .executableTarget(
            name: "call-benchmark",
            dependencies: [
                "JinaRuntime", "JinaProto",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ],
            path: "Examples/CallBenchmark"
        ),
        .testTarget(
            name: "JinaOrchestratorTests",
            dependencies: [
                "JinaOrchestrator", "JinaCore", "JinaObservability",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "JinaYAMLTests", dependencies: ["JinaYAML"]),
        .testTarget(
            name: "JinaLifecycleTests",
            dependencies: [
                "JinaLifecycle", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "JinaHubTests", dependencies: ["JinaHub", "JinaCore", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "JinaVectorIndexTests", dependencies: ["JinaVectorIndex"]),
        .testTarget(name: "JinaModelsTests", dependencies: ["JinaModels"], resources: [.copy("Fixtures")]),
        .testTarget(name: "JinaExportTests", dependencies: ["JinaExport", "JinaCore", "JinaYAML"], exclude: ["Golden", "Flows"]),
        .testTarget(
            name: "JinaClientTests",
            dependencies: ["JinaClient", "JinaCore", "JinaProto", .product(name: "NIOHTTP1", package: "swift-nio")]
        ),
        .testTarget(
            name: "JinaHTTPGatewayTests",
            dependencies: [
                "JinaHTTPGateway", "JinaGateway", "JinaCore", "JinaProto", "JinaRuntime", "JinaExecutors",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "JinaObservabilityTests",
            dependencies: [
                "JinaObservability", "JinaCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(name: "JinaCoreTests", dependencies: ["JinaCore", "JinaYAML"], resources: [.copy("Golden")]),
        .testTarget(
            name: "JinaRuntimeTests",
            dependencies: [
                "JinaRuntime", "JinaCore", "JinaExecutors", "JinaProto", "JinaObservability", "JinaVectorIndex", "JinaModels",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "JinaGatewayTests",
            dependencies: [
                "JinaGateway", "JinaClient", "JinaCore", "JinaProto", "JinaRuntime", "JinaExecutors", "JinaObservability",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "JinaProtoTests",
            dependencies: [
                "JinaProto", "JinaCore", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
