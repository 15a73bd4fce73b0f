import Foundation
import HoldfastServer
import Hummingbird
import Prometheus
import HummingbirdTesting
import Testing

@Suite struct APIDocumentTests {
    /// "METHOD /path" of every operation in the document: paths sit two spaces in under `paths:`,
    /// their methods four.
    static func documentedOperations(_ yaml: String) -> Set<String> {
        var operations = Set<String>()
        var inPaths = false
        var path: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty { inPaths = line == "paths:" }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   "), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let key = line.trimmingCharacters(in: .whitespaces).split(separator: ":").first.map(String.init) ?? ""
                if ["get", "put", "post", "patch", "delete", "head", "options"].contains(key) {
                    operations.insert("\(key.uppercased()) \(path)")
                }
            }
        }
        return operations
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() async throws {
        let app = try await TestApp.make()
        let served = try await HoldfastDependencies(
            configuration: app.dependencies.configuration, stores: app.dependencies.stores, clock: app.clock,
            metrics: PrometheusCollectorRegistry())
        let registered = Set((buildRouter(served).routes + buildWebSocketRouter(served).routes).map {
            "\($0.method.rawValue) \($0.path.description)"
        })
        let documented = Self.documentedOperations(app.dependencies.pages.apiDocument)
        #expect(registered.count > 70 && documented.count > 70)
        #expect(registered.subtracting(documented).sorted() == [], "routes missing from openapi.yaml")
        #expect(documented.subtracting(registered).sorted() == [], "documented routes the server does not have")
    }

    @Test func theServerServesTheDocument() async throws {
        let app = try await TestApp.make()
        try await app.test { client in
            let response = try await client.call(.get, "/openapi.yaml")
            #expect(response.status == .ok && response.headers[.contentType] == "application/yaml")
            #expect(response.text.hasPrefix("openapi: 3.1.0") && response.text == app.dependencies.pages.apiDocument)
        }
    }
}
