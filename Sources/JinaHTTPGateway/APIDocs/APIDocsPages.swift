import Foundation
import Hummingbird
import NIOCore

/// `GET /docs` (Swagger UI) and `GET /redoc` (ReDoc) for the gateway's `/openapi.json`, as
/// Python Jina's FastAPI gateway offers them — offline: the pages load their scripts from
/// `/docs/assets/…`, served from a folder that `scripts/install-api-docs.sh` fills from the
/// `fastapi-offline` wheel on PyPI (never committed, never fetched at run time). The folder is
/// `JINA_API_DOCS`, else `~/.cache/jina/api-docs`. Without it both routes answer a small page
/// of our own that lists the endpoints and says how to install the full pages.
struct APIDocsPages: Sendable {
    /// The asset files the pages use, with their content types.
    static let assets: [String: String] = [
        "swagger-ui-bundle.js": "application/javascript; charset=utf-8",
        "swagger-ui.css": "text/css; charset=utf-8",
        "redoc.standalone.js": "application/javascript; charset=utf-8",
        "favicon.png": "image/png",
    ]
    static let assetPrefix = "/docs/assets/"

    /// Where the assets are; nil when they are not installed.
    let folder: String?

    init(folder: String?) {
        self.folder = folder
    }

    /// The folder of `environment` (`JINA_API_DOCS`, else `~/.cache/jina/api-docs`) when it holds
    /// every asset.
    static func located(environment: [String: String] = ProcessInfo.processInfo.environment) -> APIDocsPages {
        let folder = environment["JINA_API_DOCS"]
            ?? environment["HOME"].map { $0 + "/.cache/jina/api-docs" }
        guard let folder, assets.keys.allSatisfy({ FileManager.default.fileExists(atPath: folder + "/" + $0) }) else {
            return APIDocsPages(folder: nil)
        }
        return APIDocsPages(folder: folder)
    }

    /// Whether `path` is served without a token: the installed pages (static: the spec they show
    /// comes from `/openapi.json`, which tokens guard) and their assets. Our own page lists the
    /// endpoints, so it follows the gateway's tokens.
    func isPublic(_ path: String) -> Bool {
        path.hasPrefix(Self.assetPrefix) || (folder != nil && (path == "/docs" || path == "/redoc"))
    }

    /// The response for `path` when it is one of these pages or assets; nil otherwise.
    func response(for path: String, endpoints: () async -> [String]) async -> Response? {
        switch path {
        case "/docs":
            return folder == nil ? Self.page(Self.fallback(await endpoints())) : Self.page(Self.swagger)
        case "/redoc":
            return folder == nil ? Self.page(Self.fallback(await endpoints())) : Self.page(Self.redoc)
        default:
            guard path.hasPrefix(Self.assetPrefix) else { return nil }
            let name = String(path.dropFirst(Self.assetPrefix.count))
            guard let type = Self.assets[name], let folder,
                  let data = FileManager.default.contents(atPath: folder + "/" + name) else {
                return Response(status: .notFound)
            }
            var buffer = ByteBufferAllocator().buffer(capacity: data.count)
            buffer.writeBytes(data)
            return Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=86400"],
                            body: .init(byteBuffer: buffer))
        }
    }

    private static func page(_ html: String) -> Response {
        var buffer = ByteBufferAllocator().buffer(capacity: html.utf8.count)
        buffer.writeString(html)
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: buffer))
    }

    static let swagger = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>jina gateway – Swagger UI</title>
        <link rel="stylesheet" href="/docs/assets/swagger-ui.css"><link rel="icon" href="/docs/assets/favicon.png"></head>
        <body><div id="swagger-ui"></div>
        <script src="/docs/assets/swagger-ui-bundle.js"></script>
        <script>window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true});</script>
        </body></html>
        """

    static let redoc = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>jina gateway – ReDoc</title>
        <link rel="icon" href="/docs/assets/favicon.png"></head>
        <body><redoc spec-url="/openapi.json"></redoc>
        <script src="/docs/assets/redoc.standalone.js"></script>
        </body></html>
        """

    /// Our own page when the assets are not installed: the endpoints, and how to get the rest.
    static func fallback(_ endpoints: [String]) -> String {
        let items = endpoints.map { "<li><code>POST \(escape($0))</code></li>" }.joined()
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>jina gateway – API</title></head>
            <body style="font: 15px/1.4 system-ui, sans-serif; max-width: 720px; margin: 24px auto">
            <h1>jina gateway</h1>
            <p>Endpoints (each takes <code>{"data": [documents], "parameters": {…}}</code>; the full description is <a href="/openapi.json">/openapi.json</a>):</p>
            <ul id="endpoints">\(items)</ul>
            <p>Swagger UI and ReDoc are not installed on this machine. Install them with
            <code>scripts/install-api-docs.sh</code> (or point <code>JINA_API_DOCS</code> at a folder holding
            <code>swagger-ui-bundle.js</code>, <code>swagger-ui.css</code>, <code>redoc.standalone.js</code> and
            <code>favicon.png</code>) and restart the gateway.</p>
            </body></html>
            """
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
