import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird

/// Admin access to reconciliation: the latest reports, and a run on demand.
struct ReconciliationController {
    let reconciler: Reconciler
    let stores: any HoldfastStores

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        let admin = router.group("admin/reconciliation").add(middleware: RequireAdminMiddleware())
        admin.get(use: reports)
        admin.post(use: runNow)
    }

    @Sendable func reports(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let query = try request.queryParameters(allowed: ["limit"])
        let limit = try RequestParameters.int(query["limit"], field: "limit", range: 1...100) ?? 10
        return try JSONReply(["reports": try await stores.reconciliationReports(limit: limit)])
    }

    /// `?dryRun=true` only reports.
    @Sendable func runNow(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let query = try request.queryParameters(allowed: ["dryRun"])
        guard let dryRun = Bool(query["dryRun"] ?? "false") else { throw HoldfastError.invalid("dryRun is true or false") }
        return try JSONReply(try await reconciler.run(heal: !dryRun))
    }
}
