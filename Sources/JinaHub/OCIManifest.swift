import Foundation

/// A blob named by its digest: the config, a layer, or a manifest itself.
public struct OCIDescriptor: Codable, Equatable, Sendable {
    public var mediaType: String
    public var digest: String
    public var size: Int
    public var annotations: [String: String]?

    public init(mediaType: String, digest: String, size: Int, annotations: [String: String]? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.annotations = annotations
    }
}

/// An OCI image manifest (image-spec 1.1), as a Hub package is stored: one config blob and
/// its layers, with the package's artifact type and annotations.
public struct OCIManifest: Codable, Equatable, Sendable {
    public var schemaVersion = 2
    public var mediaType: String? = OCIMediaType.manifest
    public var artifactType: String?
    public var config: OCIDescriptor
    public var layers: [OCIDescriptor]
    public var annotations: [String: String]?

    public init(artifactType: String?, config: OCIDescriptor, layers: [OCIDescriptor], annotations: [String: String]?) {
        self.artifactType = artifactType
        self.config = config
        self.layers = layers
        self.annotations = annotations
    }

    /// The bytes pushed and hashed: keys sorted, so equal manifests have equal digests.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    public static func decode(_ data: Data) -> OCIManifest? {
        try? JSONDecoder().decode(OCIManifest.self, from: data)
    }
}

/// The media types and annotation keys of Hub packages.
public enum OCIMediaType {
    public static let manifest = "application/vnd.oci.image.manifest.v1+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let index = "application/vnd.oci.image.index.v1+json"
    /// The artifact type of a jina executor package, and its config blob's media type.
    public static let package = "application/vnd.jina.executor.v1"
    public static let packageConfig = "application/vnd.jina.executor.config.v1+json"
    public static let tarGzipLayer = "application/vnd.oci.image.layer.v1.tar+gzip"
    public static let tarLayer = "application/vnd.oci.image.layer.v1.tar"

    /// A layer's file or folder name (ORAS and the image spec use it alike).
    public static let titleAnnotation = "org.opencontainers.image.title"
    /// ORAS's mark of a layer that is a packed folder, unpacked on pull.
    public static let unpackAnnotation = "io.deis.oras.content.unpack"
    public static let versionAnnotation = "org.opencontainers.image.version"
    public static let descriptionAnnotation = "org.opencontainers.image.description"
    public static let urlAnnotation = "org.opencontainers.image.url"
    public static let kindAnnotation = "ai.jina.executor.kind"
    public static let nameAnnotation = "ai.jina.executor.name"
    public static let keywordsAnnotation = "ai.jina.executor.keywords"
}
