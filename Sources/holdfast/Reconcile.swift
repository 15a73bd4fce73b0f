import ArgumentParser
import Foundation
import HoldfastCore
import HoldfastStore

/// `holdfast reconcile`: checks every invariant once, heals what can be healed, prints the report.
struct Reconcile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the booking invariants, heal derived data, and report what was found and fixed (exit 1 if anything is left).")

    @Flag(help: "Only report; change nothing.") var dryRun = false
    @Flag(help: "Print the report as JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let settings = try Settings(overrides: store.overrides())
        let backend = try Backend(settings, logger: makeLogger(settings))
        let started = ContinuousClock.now
        let report = try await backend.run { stores in
            try await Reconciler(stores: stores, clock: SystemBookingClock()).run(heal: !dryRun)
        }
        let elapsed = ContinuousClock.now - started
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            ReconciliationPrinter.print(report, elapsed: elapsed, store: backend.description)
        }
        if !(dryRun ? report.found == 0 : report.clean) { throw ExitCode(1) }
    }
}

enum ReconciliationPrinter {
    static func print(_ report: ReconciliationReport, elapsed: Duration, store: String) {
        Swift.print("reconciliation on \(store) (\(report.healed ? "healing" : "dry run")) in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds])))")
        for check in report.checks {
            let status = check.found == 0 ? "ok" : "found \(check.found), fixed \(check.fixed)"
            Swift.print("  \(check.name): examined \(check.examined) — \(status)")
            for sample in check.samples { Swift.print("      \(sample)") }
        }
        Swift.print(report.found == 0 ? "all invariants hold" : "found \(report.found), fixed \(report.fixed), left \(report.found - report.fixed)")
    }
}
