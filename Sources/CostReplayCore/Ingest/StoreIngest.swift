#if canImport(Glibc)
import Glibc
#endif

/// Ingests trace files into the store at a path, loading a store that does not exist yet in bulk.
///
/// A fresh store (no file, or an empty one) is filled as a private sibling file with no journal and no index; the
/// start index is built once, sorted, at the end, and only then is the file put in place. The unique id index is
/// left to the first incremental ingest into it (``TraceStore/ensureUniqueIDs()``). An interrupted or failed load therefore leaves no store (or the empty file that was there), never half of
/// one. Meanwhile repeated ids are found through a table of id hashes and the stored rows (``SeenIDs``), so counts,
/// duplicates and rejections are those of an incremental ingest. An existing store is appended to incrementally:
/// chunked WAL commits, so a killed run keeps whole chunks.
public enum StoreIngest {
    /// Where a bulk load into `path` writes until it is complete.
    public static func loadingPath(for path: String) -> String { path + ".loading" }

    /// Ingests `paths` into the store at `path` (created when missing) and returns the open store with the summary.
    public static func ingest(
        _ paths: [String], into path: String, options: IngestOptions,
        progress: ((Int, Int, String) -> Void)? = nil
    ) throws(StoreError) -> (TraceStore, IngestSummary) {
        try ingest(paths, into: path, options: options, progress: progress, failAfterRecords: nil)
    }

    /// `failAfterRecords` makes a bulk load fail after that many stored records, as a full disk would (tests).
    static func ingest(
        _ paths: [String], into path: String, options: IngestOptions, progress: ((Int, Int, String) -> Void)?,
        failAfterRecords: Int?
    ) throws(StoreError) -> (TraceStore, IngestSummary) {
        guard let replacing = freshness(of: path) else {
            let store = try TraceStore(path: path)
            let ingestor = try Ingestor(store: store, options: options)
            ingestor.progress = progress
            return (store, try ingestor.ingest(paths: paths))
        }
        let loading = loadingPath(for: path)
        let claim = try LoadingFile.claim(loading, for: path)
        // Closed last: the lock must outlive SQLite's connection and the unlink or link of the name.
        defer { claim.release() }
        let summary: IngestSummary
        do {
            summary = try load(paths, into: loading, options: options, progress: progress, failAfterRecords: failAfterRecords)
            try publish(loading, as: path, replacing: replacing)
        } catch {
            unlink(loading)
            throw error
        }
        return (try TraceStore(path: path), summary)
    }

    /// Nil when `path` holds data (append to it); otherwise whether a file (empty) is there to be replaced.
    /// A WAL file left beside a missing store would be applied to the new one, so it rules out the bulk load.
    static func freshness(of path: String) -> Bool? {
        if path == ":memory:" || path.hasPrefix("file:") || access(path + "-wal", F_OK) == 0 { return nil }
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        // An unwritable folder gets the incremental path's error message, which names the store.
        if access(folder.isEmpty ? "/" : folder, W_OK) != 0 { return nil }
        var info = stat()
        // lstat: a link (even a dangling one) is the user's, followed by the incremental path as before.
        if lstat(path, &info) != 0 { return errno == ENOENT ? false : nil }
        return (info.st_mode & S_IFMT) == S_IFREG && info.st_size == 0 ? true : nil
    }

    static func load(
        _ paths: [String], into loading: String, options: IngestOptions, progress: ((Int, Int, String) -> Void)?,
        failAfterRecords: Int?
    ) throws(StoreError) -> IngestSummary {
        let store = try TraceStore(path: loading, bulkLoad: true)
        var ingestor: Ingestor? = try Ingestor(store: store, options: options)
        ingestor!.progress = progress
        ingestor!.writer.failAfterRecords = failAfterRecords
        let summary = try ingestor!.ingest(paths: paths)
        ingestor = nil  // finalises its statements so the connection closes below
        try store.finishBulkLoad()
        return summary
    }

    /// Makes the complete file durable, then gives it the store's name in one step.
    static func publish(_ loading: String, as path: String, replacing: Bool) throws(StoreError) {
        let descriptor = open(loading, O_RDONLY)
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            if descriptor >= 0 { close(descriptor) }
            throw StoreError.cannotOpen(path: path, reason: "could not sync the loaded file: \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        if !replacing {
            // link() refuses to overwrite: a store another process created meanwhile is never replaced.
            if link(loading, path) == 0 {
                unlink(loading)
                syncFolder(of: path)
                return
            }
            if errno == EEXIST {
                throw StoreError.cannotOpen(path: path, reason: "another process created it during the load; nothing was written to it")
            }
        }
        guard rename(loading, path) == 0 else {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        syncFolder(of: path)
    }

    static func syncFolder(of path: String) {
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let descriptor = open(folder.isEmpty ? "/" : folder, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }
}
