import AsyncHTTPClient
import Foundation
import JinaCore
import NIOCore
import NIOHTTP1
import Synchronization

/// The OCI distribution API of one registry, as `jina hub` needs it: manifests by tag or
/// digest, blobs (HEAD, cross-repository mount, chunked and resumable upload, download),
/// with the registry's auth challenge answered — `Basic` directly, `Bearer` by asking the
/// token service the challenge names, with the credentials when there are any.
public final class RegistryClient: Sendable {
    public let registry: String
    let base: String
    let credentials: RegistryCredentials?
    /// The `Authorization` value that worked, per scope (`repository:NS/NAME:pull`…).
    private let authorization = Mutex<[String: String]>([:])

    /// Bytes per upload request; an interrupted upload resumes from what the registry has.
    static let chunkSize = 16 << 20
    /// The most a manifest or token answer may be.
    static let smallBodyLimit = 4 << 20

    /// `insecure` (plain HTTP) is accepted only for a registry on this machine.
    public init(registry: String, insecure: Bool, credentials: RegistryCredentials?) throws(HubError) {
        if insecure, !Self.isLoopback(registry) {
            throw HubError(.invalidInput, "--insecure is only for a registry on this machine, not \(registry)",
                           hint: "registries elsewhere must serve HTTPS; drop --insecure")
        }
        self.registry = registry
        self.base = (insecure ? "http://" : "https://") + registry
        self.credentials = credentials
    }

    /// One client for every registry. A connection that cannot be made fails the request at
    /// once: by default AsyncHTTPClient retries until the request's deadline, so an HTTPS
    /// request to a plain-HTTP registry would wait minutes instead of saying so.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(10), read: .seconds(120)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// `localhost`, `127.x.x.x` or `[::1]`, with any port.
    public static func isLoopback(_ registry: String) -> Bool {
        var host = registry
        if host.hasPrefix("[") { return host.hasPrefix("[::1]") }
        if let colon = host.firstIndex(of: ":") { host = String(host[..<colon]) }
        return host == "localhost" || host.hasPrefix("127.")
    }

    // MARK: Manifests

    static let manifestAccept = [OCIMediaType.manifest, OCIMediaType.dockerManifest, OCIMediaType.index].joined(separator: ", ")

    /// The manifest `reference` (a tag or a digest) of `repository`, its bytes and digest;
    /// nil when the registry does not know it.
    public func manifest(_ repository: String, reference: String) async throws(HubError) -> (data: Data, digest: String)? {
        let response = try await send(.GET, "/v2/\(repository)/manifests/\(reference)", scope: scope(repository, push: false),
                                      headers: [("Accept", Self.manifestAccept)])
        if response.status == .notFound { return nil }
        try expect(response, [.ok], doing: "reading \(repository):\(reference)")
        let digest = Digest.of(response.body)
        if HubReference.isDigest(reference), digest != reference {
            throw HubError(.runtime, "\(registry) answered \(repository)@\(reference) with a manifest whose digest is \(digest)",
                           hint: "the registry or something between is altering content; try again or use another registry")
        }
        return (response.body, digest)
    }

    /// Stores a manifest under `tag`; returns its digest.
    public func putManifest(_ repository: String, tag: String, data: Data, mediaType: String) async throws(HubError) -> String {
        let response = try await send(.PUT, "/v2/\(repository)/manifests/\(tag)", scope: scope(repository, push: true),
                                      headers: [("Content-Type", mediaType)], body: data)
        try expect(response, [.created, .ok], doing: "storing the manifest of \(repository):\(tag)")
        return Digest.of(data)
    }

    // MARK: Blobs

    public func hasBlob(_ repository: String, digest: String) async throws(HubError) -> Bool {
        let response = try await send(.HEAD, "/v2/\(repository)/blobs/\(digest)", scope: scope(repository, push: true))
        return response.status == .ok
    }

    /// Asks the registry to link a blob it already has under `source`; false when it starts
    /// an ordinary upload instead (that upload is left to expire).
    public func mountBlob(_ repository: String, digest: String, from source: String) async throws(HubError) -> Bool {
        let response = try await send(.POST, "/v2/\(repository)/blobs/uploads/?mount=\(digest)&from=\(source)",
                                      scope: scope(repository, push: true) + " " + scope(source, push: false))
        return response.status == .created
    }

    /// Uploads `data` in chunks. After a failed chunk it asks the registry how far the upload
    /// got and goes on from there; a registry whose upload address went stale with the lost
    /// answer (the distribution registry's `_state`) gets the blob again from a new upload. At
    /// most 3 such recoveries.
    public func uploadBlob(_ repository: String, digest: String, data: Data,
                           progress: (@Sendable (String) -> Void)? = nil) async throws(HubError) {
        let pushScope = scope(repository, push: true)
        var location = try await startUpload(repository)
        var offset = 0
        var retries = 0
        while offset < data.count {
            let end = min(offset + Self.chunkSize, data.count)
            do {
                let response = try await send(
                    .PATCH, location, scope: pushScope,
                    headers: [("Content-Type", "application/octet-stream"), ("Content-Range", "\(offset)-\(end - 1)")],
                    body: data.subdata(in: offset..<end))
                try expect(response, [.accepted, .noContent], doing: "uploading \(digest) to \(repository)")
                location = try uploadLocation(response)
                offset = end
            } catch {
                retries += 1
                guard retries <= 3 else { throw error }
                if let (resumed, at) = try? await uploadStatus(location, scope: pushScope), at <= data.count {
                    // `0-0` is also what the distribution registry says when it has nothing.
                    offset = offset == 0 && at == 1 ? 0 : at
                    location = resumed
                    progress?("\(digest): resuming the upload at byte \(offset) after: \(error.summary)")
                } else {
                    location = try await startUpload(repository)
                    offset = 0
                    progress?("\(digest): starting the upload again (the registry lost the first one) after: \(error.summary)")
                }
            }
        }
        let separator = location.contains("?") ? "&" : "?"
        let done = try await send(.PUT, location + separator + "digest=" + digest, scope: pushScope,
                                  headers: [("Content-Length", "0")], body: Data())
        try expect(done, [.created], doing: "finishing the upload of \(digest) to \(repository)")
    }

    private func startUpload(_ repository: String) async throws(HubError) -> String {
        let start = try await send(.POST, "/v2/\(repository)/blobs/uploads/", scope: scope(repository, push: true))
        try expect(start, [.accepted], doing: "starting an upload to \(repository)")
        return try uploadLocation(start)
    }

    /// Where an upload stands: its address and the number of bytes the registry has
    /// (`Range: 0-LAST`); nil when the registry no longer knows the upload.
    private func uploadStatus(_ location: String, scope: String) async throws(HubError) -> (String, Int)? {
        let status = try await send(.GET, location, scope: scope)
        guard status.status == .noContent || status.status == .accepted,
              let range = status.headers.first(name: "Range"), let dash = range.lastIndex(of: "-"),
              let last = Int(range[range.index(after: dash)...]) else { return nil }
        return ((try? uploadLocation(status)) ?? location, last + 1)
    }

    /// Downloads a blob and checks its digest; nil when the registry does not have it.
    public func blob(_ repository: String, digest: String, limit: Int) async throws(HubError) -> Data? {
        let response = try await send(.GET, "/v2/\(repository)/blobs/\(digest)", scope: scope(repository, push: false),
                                      bodyLimit: limit)
        if response.status == .notFound { return nil }
        try expect(response, [.ok], doing: "downloading \(digest) from \(repository)")
        let actual = Digest.of(response.body)
        guard actual == digest else {
            throw HubError(.runtime, "blob \(digest) of \(repository) arrived with digest \(actual)",
                           hint: "the download was damaged or altered; pull again")
        }
        return response.body
    }

    // MARK: Requests and auth

    struct Response {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: Data
    }

    func scope(_ repository: String, push: Bool) -> String {
        "repository:\(repository):" + (push ? "pull,push" : "pull")
    }

    private func uploadLocation(_ response: Response) throws(HubError) -> String {
        guard let location = response.headers.first(name: "Location") else {
            throw HubError(.runtime, "\(registry) started an upload without saying where to send it (no Location)")
        }
        return location
    }

    /// One request, answering a 401 challenge once.
    func send(
        _ method: HTTPMethod, _ target: String, scope: String, headers: [(String, String)] = [],
        body: Data? = nil, bodyLimit: Int = RegistryClient.smallBodyLimit
    ) async throws(HubError) -> Response {
        let url = target.hasPrefix("http://") || target.hasPrefix("https://") ? target : base + target
        let known = authorization.withLock { $0[scope] }
        var response = try await execute(method, url, headers: headers, authorization: known, body: body, bodyLimit: bodyLimit)
        guard response.status == .unauthorized else { return response }
        let challenge = response.headers.first(name: "WWW-Authenticate") ?? ""
        let header = try await answer(challenge, scope: scope)
        response = try await execute(method, url, headers: headers, authorization: header, body: body, bodyLimit: bodyLimit)
        if response.status == .unauthorized || response.status == .forbidden {
            throw refused(response.status)
        }
        authorization.withLock { $0[scope] = header }
        return response
    }

    private func refused(_ status: HTTPResponseStatus) -> HubError {
        if let credentials {
            return HubError(.runtime, "registry \(registry) refused the credentials of `\(credentials.username)` (\(status.code))",
                            hint: "check the user name and password (--username/--password-stdin, or `docker login \(registry)`)")
        }
        return HubError(.runtime, "registry \(registry) needs credentials (\(status.code))",
                        hint: "pass --username and --password-stdin, or run `docker login \(registry)` first")
    }

    /// The `Authorization` value for a `Basic` or `Bearer` challenge.
    private func answer(_ challenge: String, scope: String) async throws(HubError) -> String {
        let lower = challenge.lowercased()
        if lower.hasPrefix("basic") {
            guard let credentials else { throw refused(.unauthorized) }
            return credentials.basicHeader
        }
        guard lower.hasPrefix("bearer") else {
            throw HubError(.runtime, "registry \(registry) asks for an authentication scheme jina does not speak: \(challenge)")
        }
        let parameters = Self.challengeParameters(String(challenge.dropFirst("bearer".count)))
        guard let realm = parameters["realm"], realm.hasPrefix("http") else {
            throw HubError(.runtime, "registry \(registry) sent a Bearer challenge without a token service (realm)")
        }
        var components = URLComponents(string: realm)
        var items = components?.queryItems ?? []
        if let service = parameters["service"] { items.append(URLQueryItem(name: "service", value: service)) }
        // What the challenge names, and what this client will do next with the repository (a
        // push asks for `pull,push` once rather than once per action).
        var scopes = (parameters["scope"] ?? "").split(separator: " ").map(String.init)
        for part in scope.split(separator: " ") where !scopes.contains(String(part)) { scopes.append(String(part)) }
        for part in scopes { items.append(URLQueryItem(name: "scope", value: part)) }
        components?.queryItems = items
        guard let tokenURL = components?.string else {
            throw HubError(.runtime, "registry \(registry) named a token service that is not a URL: \(realm)")
        }
        let response = try await execute(.GET, tokenURL, headers: [], authorization: credentials?.basicHeader,
                                         body: nil, bodyLimit: Self.smallBodyLimit)
        if response.status == .unauthorized || response.status == .forbidden { throw refused(response.status) }
        guard response.status == .ok,
              let json = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
              let token = (json["token"] as? String) ?? (json["access_token"] as? String) else {
            throw HubError(.runtime, "the token service of \(registry) answered \(response.status.code) without a token")
        }
        return "Bearer " + token
    }

    /// `realm="…",service="…",scope="…"` as a table.
    static func challengeParameters(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(text)
        while let equals = rest.firstIndex(of: "=") {
            let key = rest[..<equals].trimmingCharacters(in: CharacterSet(charactersIn: " ,")).lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.hasPrefix("\"") {
                rest = rest.dropFirst()
                let close = rest.firstIndex(of: "\"") ?? rest.endIndex
                value = String(rest[..<close])
                rest = close < rest.endIndex ? rest[rest.index(after: close)...] : ""
            } else {
                let comma = rest.firstIndex(of: ",") ?? rest.endIndex
                value = String(rest[..<comma])
                rest = rest[comma...]
            }
            result[key] = value
        }
        return result
    }

    private func execute(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)], authorization: String?,
        body: Data?, bodyLimit: Int
    ) async throws(HubError) -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let authorization { request.headers.replaceOrAdd(name: "Authorization", value: authorization) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await Self.http.execute(request, timeout: .seconds(300))
            var collected = Data()
            if method != .HEAD {
                var buffer = try await response.body.collect(upTo: bodyLimit)
                collected = Data(buffer.readBytes(length: buffer.readableBytes) ?? [])
            }
            return Response(status: response.status, headers: response.headers, body: collected)
        } catch let error as HTTPClientError where error == .remoteConnectionClosed || error == .readTimeout {
            throw HubError(.runtime, "registry \(registry) closed the connection (\(url))", hint: "try again; check the registry's logs")
        } catch let error as NIOTooManyBytesError {
            throw HubError(.runtime, "registry \(registry) answered \(url) with more than \(bodyLimit) bytes (\(error))")
        } catch {
            throw HubError(.runtime, "cannot reach registry \(registry): \(Self.reason(error))",
                           hint: "check --registry or JINA_HUB_REGISTRY and that the registry runs; a plain-HTTP registry on this machine needs --insecure (`jina flow`, `jina export`: --hub-insecure) or JINA_HUB_INSECURE=1")
        }
    }

    private static func reason(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("connectTimeout") { return "connection timed out" }
        if text.contains("WRONG_VERSION_NUMBER") { return "it does not answer HTTPS" }
        if text.contains("SSL") || text.contains("TLS") || text.contains("handshake") { return "the TLS handshake failed (\(text.prefix(120)))" }
        return String(text.prefix(200))
    }

    private func expect(_ response: Response, _ statuses: [HTTPResponseStatus], doing what: String) throws(HubError) {
        guard !statuses.contains(response.status) else { return }
        let detail = Self.registryErrors(response.body)
        if response.status == .unauthorized || response.status == .forbidden { throw refused(response.status) }
        throw HubError(.runtime, "registry \(registry) answered \(response.status.code) \(response.status.reasonPhrase) while \(what)"
                       + (detail.isEmpty ? "" : ": " + detail))
    }

    /// The `errors[].message` of a registry's JSON error body.
    static func registryErrors(_ body: Data) -> String {
        guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let errors = json["errors"] as? [[String: Any]] else { return "" }
        return errors.compactMap { ($0["message"] as? String) ?? ($0["code"] as? String) }.joined(separator: "; ")
    }
}
