import Foundation
import GRDB
import HoldfastStore

extension SQLiteStore {
    public func claimIdempotencyKey(
        userId: String, key: String, fingerprint: String, now: Date, lockedUntil: Date
    ) async throws -> IdempotencyClaim {
        try await write { db in
            let nowMillis = SQLiteColumns.millis(now)
            let lock = SQLiteColumns.millis(lockedUntil)
            guard
                let row = try Row.fetchOne(
                    db, cached: "SELECT * FROM idempotency_keys WHERE user_id = ? AND idem_key = ?", arguments: [userId, key])
            else {
                try db.execute(
                    cached: """
                        INSERT INTO idempotency_keys (user_id, idem_key, fingerprint, locked_until, created_at)
                        VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: [userId, key, fingerprint, lock, nowMillis])
                return .proceed
            }
            guard (row["fingerprint"] as String) == fingerprint else { return .mismatch }
            if let status = row["status_code"] as Int? {
                return .replay(StoredResponse(status: status, body: [UInt8]((row["response_body"] as Data?) ?? Data())))
            }
            guard (row["locked_until"] as Int64) <= nowMillis else { return .inProgress }
            try db.execute(
                cached: "UPDATE idempotency_keys SET locked_until = ? WHERE user_id = ? AND idem_key = ?",
                arguments: [lock, userId, key])
            return .proceed
        }
    }

    public func completeIdempotencyKey(userId: String, key: String, response: StoredResponse) async throws {
        try await write { db in
            try db.execute(
                cached: "UPDATE idempotency_keys SET status_code = ?, response_body = ? WHERE user_id = ? AND idem_key = ?",
                arguments: [response.status, Data(response.body), userId, key])
        }
    }

    public func abandonIdempotencyKey(userId: String, key: String) async throws {
        try await write { db in
            try db.execute(
                cached: "DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ? AND status_code IS NULL",
                arguments: [userId, key])
        }
    }
}
