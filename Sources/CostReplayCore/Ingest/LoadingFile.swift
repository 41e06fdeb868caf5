#if canImport(Glibc)
import Glibc
#endif

/// The sibling file a bulk load fills, held under an exclusive lock for as long as the load runs.
///
/// A load killed part-way leaves `DB.loading` (and perhaps SQLite's `-wal`/`-journal` beside it) with no store
/// published; the next load finds it unlocked, so it is stale, and starts it again from nothing. A load still
/// running holds the lock, and a second load of the same store stops with an error instead of truncating a file
/// that is being written (or, once linked, published). The lock is `flock`, which SQLite's own POSIX locks do not
/// touch, and it is released only after the name is unlinked, so a lock won on a published inode is detected.
struct LoadingFile {
    let descriptor: Int32

    /// Takes the lock on `loading`, empties what a killed load left, or throws when another load holds it.
    static func claim(_ loading: String, for path: String) throws(StoreError) -> LoadingFile {
        for _ in 0..<8 {
            let descriptor = open(loading, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw StoreError.cannotOpen(path: path, reason: "could not create \(loading): \(String(cString: strerror(errno)))")
            }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                close(descriptor)
                throw StoreError.cannotOpen(
                    path: path, reason: "another costreplay ingest is loading it (\(loading) is locked); wait for that run to finish")
            }
            // The lock may have been won on a file another load has just published and unlinked: try again.
            var held = stat(), named = stat()
            guard fstat(descriptor, &held) == 0, stat(loading, &named) == 0,
                  held.st_dev == named.st_dev, held.st_ino == named.st_ino else {
                close(descriptor)
                continue
            }
            for suffix in ["-wal", "-shm", "-journal"] { unlink(loading + suffix) }
            guard ftruncate(descriptor, 0) == 0 else {
                close(descriptor)
                throw StoreError.cannotOpen(path: path, reason: "could not empty \(loading): \(String(cString: strerror(errno)))")
            }
            return LoadingFile(descriptor: descriptor)
        }
        throw StoreError.cannotOpen(path: path, reason: "\(loading) kept changing while another load was publishing it")
    }

    func release() { close(descriptor) }
}
