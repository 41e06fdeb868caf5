import Foundation

/// Sorted file names in a directory, for readers of multi-file data sets.
enum DirectoryListing {
    static func files(in directory: String, suffix: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(suffix) }.sorted()
        } catch {
            throw IngestError.unreadable(path: directory, reason: "cannot list the folder")
        }
    }
}
