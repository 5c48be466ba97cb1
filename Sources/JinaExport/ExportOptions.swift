import JinaCore
import JinaHub

/// What the exporters need besides the Flow: where it came from and the user's choices.
public struct ExportOptions: Sendable {
    /// The Flow file as the user named it (nil for standard input); executor YAMLs named by
    /// `uses: x.yml` are read relative to its folder.
    public var flowFile: String?
    /// The Flow's text, substituted again into the gateway's copy of the Flow.
    public var flowText: String
    /// The environment `${{ ENV.X }}` expressions were read from.
    public var environment: [String: String]
    /// Kubernetes namespace; nil = the Flow's name, else `default`.
    public var namespace: String?
    /// Image of the gateway and built-in executors; nil = `jina:<version>`.
    public var image: String?
    /// Kubernetes Service type of the gateway's Services.
    public var gatewayServiceType: GatewayServiceType
    /// Put before the image names of Python executors (`registry.example.com/team/`).
    public var imagePrefix: String = ""
    /// The Hub package each `uses: jinaai://…` means (`HubResolver.records`), by `ExecutorUses.text`.
    public var hubPackages: [String: PackageRecord] = [:]
    /// The registry of `jinaai+docker://` references that name none (`JINA_HUB_REGISTRY`).
    public var hubRegistry: String?

    public init(flowFile: String?, flowText: String, environment: [String: String], namespace: String? = nil,
                image: String? = nil, gatewayServiceType: GatewayServiceType = .clusterIP) {
        self.flowFile = flowFile
        self.flowText = flowText
        self.environment = environment
        self.namespace = namespace
        self.image = image
        self.gatewayServiceType = gatewayServiceType
    }

    /// The image used when `--image` is not given: `jina:<version of this binary>`.
    public static var defaultImage: String { "jina:\(JinaVersion.current)" }

    var resolvedImage: String { image ?? Self.defaultImage }

    /// The folder executor YAML paths are relative to.
    var flowDirectory: String {
        guard let flowFile, let slash = flowFile.lastIndex(of: "/") else { return "." }
        return slash == flowFile.startIndex ? "/" : String(flowFile[..<slash])
    }
}

/// The Kubernetes Service types a gateway Service can have.
public enum GatewayServiceType: String, Sendable, CaseIterable {
    case clusterIP = "ClusterIP"
    case nodePort = "NodePort"
    case loadBalancer = "LoadBalancer"
}

/// Fixed ports and paths inside containers (each container has its own network namespace, so
/// every executor listens on the same port).
enum ContainerLayout {
    static let executorPort = 8080
    static let monitoringPort = 9090
    /// Gateway ports when the Flow gives none: 8080, 8081, … one per protocol.
    static let firstGatewayPort = 8080
    static let flowDirectory = "/etc/jina/flow"
    static let flowFileName = "flow.yml"
    static var flowPath: String { flowDirectory + "/" + flowFileName }
    static let tlsDirectory = "/etc/jina/tls"
    static let tokenDirectory = "/etc/jina/auth"
    static let tokenFileName = "tokens"
    /// Where model executors find ONNX Runtime and the models (`JINA_MODELS`): a read-only
    /// volume, the PersistentVolumeClaim `modelsClaim` in Kubernetes, `./models` in compose.
    static let modelsDirectory = "/models"
    static let modelsClaim = "jina-models"
    /// Where an init step puts a Hub package's files for the executor container to run.
    static let hubDirectory = "/hub"
    static var hubPackageDirectory: String { hubDirectory + "/package" }
}
