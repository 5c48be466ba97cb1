import CompressNIO
import Foundation
import NIOCore

/// A package as an OCI artifact: the folder as one tar+gzip layer (its entries under a folder
/// named after the package, marked the way ORAS marks a packed folder so `oras pull` unpacks
/// it), a config blob holding the manifest as JSON, and an image manifest with the package's
/// artifact type and annotations (name, version, description, kind).
public struct PackageArtifact: Sendable {
    public var manifest: OCIManifest
    public var manifestData: Data
    public var digest: String
    /// The config and layer blobs by digest.
    public var blobs: [String: Data]

    public static func pack(_ folder: PackageFolder) throws(HubError) -> PackageArtifact {
        let title = folder.manifest.name
        let entries = [TarArchive.Entry(path: title, kind: .directory, mode: 0o755)]
            + folder.entries.map { entry in
                var copy = entry
                copy.path = title + "/" + entry.path
                return copy
            }
        let tar = TarArchive.write(entries)
        let layer = try gzip(tar)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let config = (try? encoder.encode(folder.manifest)) ?? Data("{}".utf8)
        let layerAnnotations = [
            OCIMediaType.titleAnnotation: title,
            OCIMediaType.unpackAnnotation: "true",
            // ORAS checks the unpacked tar against this (the digest of the uncompressed tar).
            "io.deis.oras.content.digest": Digest.of(tar),
        ]
        var annotations = [
            OCIMediaType.titleAnnotation: title,
            OCIMediaType.nameAnnotation: title,
            OCIMediaType.kindAnnotation: folder.manifest.kind.rawValue,
        ]
        annotations[OCIMediaType.versionAnnotation] = folder.manifest.version
        annotations[OCIMediaType.descriptionAnnotation] = folder.manifest.description
        annotations[OCIMediaType.urlAnnotation] = folder.manifest.url
        if !folder.manifest.keywords.isEmpty {
            annotations[OCIMediaType.keywordsAnnotation] = folder.manifest.keywords.joined(separator: ",")
        }
        let manifest = OCIManifest(
            artifactType: OCIMediaType.package,
            config: OCIDescriptor(mediaType: OCIMediaType.packageConfig, digest: Digest.of(config), size: config.count),
            layers: [OCIDescriptor(mediaType: OCIMediaType.tarGzipLayer, digest: Digest.of(layer), size: layer.count,
                                   annotations: layerAnnotations)],
            annotations: annotations)
        let data = manifest.encoded()
        return PackageArtifact(manifest: manifest, manifestData: data, digest: Digest.of(data),
                               blobs: [Digest.of(config): config, Digest.of(layer): layer])
    }

    /// The files of a pulled artifact, from its layers: a packed folder (tar or tar+gzip) is
    /// unpacked with its top folder (the layer's title) removed; any other layer with a title
    /// is one file of that name. `blob` reads a layer's verified bytes.
    public static func files(of manifest: OCIManifest, blob: (OCIDescriptor) throws(HubError) -> Data) throws(HubError) -> [TarArchive.Entry] {
        var entries: [TarArchive.Entry] = []
        for layer in manifest.layers {
            let title = layer.annotations?[OCIMediaType.titleAnnotation]
            let isTar = layer.mediaType.hasPrefix(OCIMediaType.tarLayer)
                || layer.annotations?[OCIMediaType.unpackAnnotation] == "true"
            let data = try blob(layer)
            if isTar {
                var bytes = [UInt8](data)
                if layer.mediaType.hasSuffix("+gzip") || bytes.starts(with: [0x1f, 0x8b]) {
                    bytes = try gunzip(bytes, layer: layer.digest)
                }
                var unpacked: [TarArchive.Entry]
                do { unpacked = try TarArchive.read(bytes) } catch {
                    throw HubError(.runtime, "layer \(layer.digest): \(error.message)")
                }
                if let title, unpacked.allSatisfy({ $0.path == title || $0.path.hasPrefix(title + "/") }) {
                    unpacked = unpacked.compactMap { entry in
                        guard entry.path != title else { return nil }
                        var copy = entry
                        copy.path = String(entry.path.dropFirst(title.count + 1))
                        return copy
                    }
                }
                entries += unpacked
            } else if let title, let path = TarArchive.safePath(title), !path.isEmpty {
                entries.append(TarArchive.Entry(path: path, kind: .file, mode: 0o644, contents: [UInt8](data)))
            }
        }
        return entries
    }

    static func gzip(_ bytes: [UInt8]) throws(HubError) -> Data {
        var input = ByteBuffer(bytes: bytes)
        do {
            var compressed = try input.compress(with: .gzip())
            return Data(compressed.readBytes(length: compressed.readableBytes) ?? [])
        } catch {
            throw HubError(.runtime, "cannot compress the package layer: \(error)")
        }
    }

    static func gunzip(_ bytes: [UInt8], layer: String) throws(HubError) -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        do {
            var plain = try buffer.decompress(with: .gzip())
            return plain.readBytes(length: plain.readableBytes) ?? []
        } catch {
            throw HubError(.runtime, "layer \(layer) is not valid gzip (\(error))", hint: "the package is damaged; push it again")
        }
    }
}
