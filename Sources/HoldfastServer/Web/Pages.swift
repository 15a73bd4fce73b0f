import Foundation
import HoldfastCore
import Hummingbird
import Mustache

/// The HTML templates (Web/templates) and where the static files (Web/static) are.
public struct Pages: Sendable {
    let library: MustacheLibrary
    let staticFolder: String

    /// The OpenAPI document of every route (static/openapi.yaml).
    public let apiDocument: String

    public static func load() async throws -> Pages {
        guard let templates = Bundle.module.path(forResource: "templates", ofType: nil),
            let staticFolder = Bundle.module.path(forResource: "static", ofType: nil)
        else { throw HoldfastError(.internalFailure, code: "PAGES_MISSING", message: "The web templates are not in the bundle") }
        return Pages(
            library: try await MustacheLibrary(directory: templates), staticFolder: staticFolder,
            apiDocument: try String(contentsOfFile: staticFolder + "/openapi.yaml", encoding: .utf8))
    }

    /// `context` values are escaped by `{{…}}` in the templates.
    func render(_ name: String, _ context: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let html = library.render(context, withTemplate: name) ?? "<!doctype html><title>Error</title><p>Page \(name) is missing.</p>"
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
