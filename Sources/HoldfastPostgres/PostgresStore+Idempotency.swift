import Foundation
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    public func claimIdempotencyKey(
        userId: String, key: String, fingerprint: String, now: Date, lockedUntil: Date
    ) async throws -> IdempotencyClaim {
        try await transaction { connection in
            let inserted = try await connection.rows(
                """
                INSERT INTO idempotency_keys (user_id, idem_key, fingerprint, locked_until, created_at)
                VALUES (\(userId), \(key), \(fingerprint), \(lockedUntil), \(now))
                ON CONFLICT (user_id, idem_key) DO NOTHING
                RETURNING 1 AS inserted
                """, logger)
            if !inserted.isEmpty { return .proceed }
            let rows = try await connection.rows(
                """
                SELECT fingerprint, status_code, response_body, locked_until FROM idempotency_keys
                WHERE user_id = \(userId) AND idem_key = \(key) FOR UPDATE
                """, logger)
            guard let row = rows.first else { return .inProgress }
            guard try row.value("fingerprint", as: String.self) == fingerprint else { return .mismatch }
            if let status = try row.value("status_code", as: Int?.self) {
                let body = try row.value("response_body", as: ByteBuffer?.self)
                return .replay(StoredResponse(status: status, body: body.map { Array(buffer: $0) } ?? []))
            }
            guard try row.value("locked_until", as: Date.self) <= now else { return .inProgress }
            try await connection.execute(
                "UPDATE idempotency_keys SET locked_until = \(lockedUntil) WHERE user_id = \(userId) AND idem_key = \(key)", logger)
            return .proceed
        }
    }

    public func completeIdempotencyKey(userId: String, key: String, response: StoredResponse) async throws {
        let body = ByteBuffer(bytes: response.body)
        try await statement { connection in
            try await connection.execute(
                """
                UPDATE idempotency_keys SET status_code = \(response.status), response_body = \(body)
                WHERE user_id = \(userId) AND idem_key = \(key)
                """, logger)
        }
    }

    public func abandonIdempotencyKey(userId: String, key: String) async throws {
        try await statement { connection in
            try await connection.execute(
                "DELETE FROM idempotency_keys WHERE user_id = \(userId) AND idem_key = \(key) AND status_code IS NULL", logger)
        }
    }
}
