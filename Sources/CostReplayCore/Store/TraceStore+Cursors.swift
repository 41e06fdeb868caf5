extension TraceStore {
    /// The saved read position of a live source, or nil before its first read.
    public func cursor(source: String) throws(StoreError) -> String? {
        let statement = try database.prepare("SELECT position FROM cursors WHERE source = ?")
        statement.bind(1, source)
        return try statement.step() ? statement.string(0) : nil
    }
}

extension RequestWriter {
    /// Moves a live source's cursor inside the pending transaction, so it commits with the records it covers.
    public func saveCursor(source: String, position: String) throws(StoreError) {
        try beginIfNeeded()
        let statement = try store.database.prepare("INSERT OR REPLACE INTO cursors (source, position) VALUES (?, ?)")
        statement.bind(1, source)
        statement.bind(2, position)
        try statement.step()
    }
}
