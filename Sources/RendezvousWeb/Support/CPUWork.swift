import HummingbirdBcrypt
import NIOCore
import NIOPosix

/// CPU-heavy work (bcrypt, badge PDFs and previews, share images) runs on threads of its own, at
/// most max(1, cores − 1) at once. SQLite's queries run on `NIOThreadPool.singleton`: if a burst of
/// password checks ran there too, every page would wait behind them.
enum CPUWork {
    static let threads = max(1, System.coreCount - 1)

    /// Started on first use and kept for the life of the process, like NIO's own singletons.
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        return pool
    }()

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }
}

/// Password hashing and checking, always on `CPUWork`.
enum Passwords {
    static let cost: UInt8 = 12

    /// A hash to check against when the account does not exist, so the answer takes as long.
    static let dummyHash = Bcrypt.hash("not-a-real-password", cost: cost)

    /// False for anything longer than bcrypt could read (it would only burn time).
    static func verify(_ password: String, hash: String?) async throws -> Bool {
        guard password.utf8.count <= 256 else { return false }
        // `dummyHash` is itself a bcrypt run the first time: made on the pool too.
        return try await CPUWork.run { Bcrypt.verify(password, hash: hash ?? dummyHash) }
    }

    static func hash(_ password: String) async throws -> String {
        try await CPUWork.run { Bcrypt.hash(password, cost: cost) }
    }
}
