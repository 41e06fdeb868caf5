import CostReplayCore
import Foundation
import Testing
import TestSupport

/// The SQLite the package runs on is vapor/sqlite-nio's build of the amalgamation, pinned exactly in Package.swift
/// (Sources/CSQLite/include/csqlite.h): a move to another version or other compile options is a deliberate change,
/// and this names what the store relies on.
@Suite struct SQLiteBuildTests {
    static func database() throws -> SQLiteDatabase {
        try SQLiteDatabase(path: Fixtures.temporaryDirectory().appendingPathComponent("build.db").path)
    }

    static func strings(_ database: SQLiteDatabase, _ sql: String) throws -> [String] {
        let statement = try database.prepare(sql)
        var result: [String] = []
        while try statement.step() { result.append(statement.string(0) ?? "") }
        return result
    }

    @Test func theVersionIsThePinnedOne() throws {
        // docs/performance.md, session 12: the ingest and sweep figures are this version's.
        #expect(try Self.strings(Self.database(), "SELECT sqlite_version()") == ["3.54.1"])
    }

    @Test func theCompileOptionsTheStoreReliesOnAreThere() throws {
        let options = Set(try Self.strings(Self.database(), "PRAGMA compile_options"))
        // Connections are configured multi-threaded (csqlite_configure_single_user), which a single-threaded build refuses.
        #expect(options.contains("THREADSAFE=1"), "\(options.sorted())")
        // Bulk inserts bind 64 rows of every column in one statement (PendingRows); fewer are taken where the limit is lower.
        #expect(options.contains("MAX_VARIABLE_NUMBER=250000"), "\(options.sorted())")
        // No math functions in this build: the store's SQL uses none (Debian's build has them).
        #expect(!options.contains("ENABLE_MATH_FUNCTIONS"))
    }

    @Test func theJSONFunctionsTheProfileUsesWork() throws {
        // TraceProfile reads tags with json_each and json_valid.
        let database = try Self.database()
        #expect(try Self.strings(database, #"SELECT value FROM json_each('["a","b"]')"#) == ["a", "b"])
        #expect(try database.scalar(#"SELECT json_valid('{"a":1}') + json_valid('{')"#) == 1)
    }
}
