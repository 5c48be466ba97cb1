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
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "JinaYAML", dependencies: ["CLibYAML"]),
        .target(name: "JinaCore", dependencies: ["JinaYAML"]),
        .target(
            name: "JinaProto",
            dependencies: [
                "JinaCore",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            ],
            exclude: ["Protos", "VERSIONS.md"]
        ),
        .target(
            name: "JinaRuntime",
            dependencies: [
                "JinaCore", "JinaProto",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "JinaExecutors", dependencies: ["JinaRuntime"]),
        .target(
            name: "JinaGateway",
            dependencies: [
                "JinaCore", "JinaProto",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "JinaOrchestrator",
            dependencies: [
                "JinaCore", "JinaYAML", "JinaProto", "JinaGateway",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "jina",
            dependencies: [
                "JinaYAML", "JinaCore", "JinaRuntime", "JinaExecutors", "JinaGateway", "JinaOrchestrator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "upper-executor", dependencies: ["JinaRuntime"], path: "Examples/UpperExecutor"),
        .executableTarget(name: "marker-executor", dependencies: ["JinaRuntime"], path: "Examples/MarkerExecutor"),
        .executableTarget(
            name: "call-benchmark",
            dependencies: [
                "JinaRuntime", "JinaProto",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ],
            path: "Examples/CallBenchmark"
        ),
        .testTarget(name: "JinaOrchestratorTests", dependencies: ["JinaOrchestrator", "JinaCore"]),
        .testTarget(name: "JinaYAMLTests", dependencies: ["JinaYAML"]),
        .testTarget(name: "JinaCoreTests", dependencies: ["JinaCore", "JinaYAML"], resources: [.copy("Golden")]),
        .testTarget(
            name: "JinaRuntimeTests",
            dependencies: [
                "JinaRuntime", "JinaExecutors", "JinaProto",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .testTarget(
            name: "JinaGatewayTests",
            dependencies: [
                "JinaGateway", "JinaCore", "JinaProto", "JinaRuntime", "JinaExecutors",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "JinaProtoTests",
            dependencies: ["JinaProto", "JinaCore", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
