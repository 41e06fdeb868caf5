/// How the columns of a CSV trace map to CostReplay's fields (docs/trace-format.md).
///
/// Built-in presets cover the public Azure LLM inference trace and BurstGPT; any other CSV needs
/// a mapping file: `{"columns": {"input_tokens": "prompt", …}, "defaults": {"model": "gpt-4o"},
/// "model_aliases": {"ChatGPT": "gpt-3.5-turbo"}, "time_unit": "s", "relative_time": true}`.
public struct ColumnMapping: Sendable, Equatable {
    /// Target field → source column name.
    public var columns: [String: String]
    /// Target field → value used when the column is absent or empty.
    public var defaults: [String: String] = [:]
    /// Source model name → catalog model name.
    public var modelAliases: [String: String] = [:]
    /// Unit of numeric times: `s`, `ms`, `us`, `ns`, or `auto` (by magnitude).
    public var timeUnit: String = "auto"
    /// Numeric times count from the ingest's `--time-origin`, not from the Unix epoch.
    public var relativeTime = false
    /// Column names copied into `tags` as `column=value`.
    public var tagColumns: [String] = []

    public static let targets: Set<String> = [
        "id", "start", "end", "model", "provider", "input_tokens", "output_tokens", "cache_read_tokens",
        "cache_write_tokens", "reasoning_tokens", "user_id", "session_id", "tenant_id", "trace_id", "tags",
        "billed_cost", "operation", "prompt", "response", "service_tier",
    ]

    public init(columns: [String: String]) { self.columns = columns }

    /// The Azure LLM inference trace 2023 (Patel et al., Splitwise, ISCA 2024): no model column.
    public static let azure: ColumnMapping = {
        var m = ColumnMapping(columns: ["start": "TIMESTAMP", "input_tokens": "ContextTokens", "output_tokens": "GeneratedTokens"])
        m.timeUnit = "auto"
        return m
    }()

    /// BurstGPT (Wang et al., 2024): seconds from the trace start; `Model` is ChatGPT or GPT-4.
    public static let burstGPT: ColumnMapping = {
        var m = ColumnMapping(columns: ["start": "Timestamp", "model": "Model", "input_tokens": "Request tokens",
                                        "output_tokens": "Response tokens"])
        m.modelAliases = ["ChatGPT": "gpt-3.5-turbo", "GPT-4": "gpt-4"]
        m.defaults = ["provider": "openai"]
        m.timeUnit = "s"
        m.relativeTime = true
        m.tagColumns = ["Log Type"]
        return m
    }()

    /// Reads a mapping file (JSON) and checks every target name.
    public static func load(path: String) throws(IngestError) -> ColumnMapping {
        let reader = try LineReader(path: path)
        let bytes = try reader.readAll(limit: 1 << 20)
        let parser = JSONParser()
        defer { withExtendedLifetime(parser) {} }  // JSONValue holds the parser unowned
        let root: JSONValue
        do { root = try parser.parse(bytes) } catch {
            throw .badMapping(path: path, reason: "mapping file is not valid JSON: \(error)")
        }
        guard let columns = root["columns"], columns.isObject else {
            throw .badMapping(path: path, reason: "mapping file needs a \"columns\" object")
        }
        var mapping = ColumnMapping(columns: [:])
        for (target, source) in columns.members {
            guard targets.contains(target) else {
                throw .badMapping(path: path, reason: "unknown target field '\(target)' in \"columns\"; known: \(targets.sorted().joined(separator: ", "))")
            }
            guard let name = source.string else { throw .badMapping(path: path, reason: "column for '\(target)' must be a string") }
            mapping.columns[target] = name
        }
        for key in root.members.map(\.0) where !["columns", "defaults", "model_aliases", "time_unit", "relative_time", "tag_columns"].contains(key) {
            throw .badMapping(path: path, reason: "unknown key '\(key.prefix(40))'; known: columns, defaults, model_aliases, time_unit, relative_time, tag_columns")
        }
        func strings(_ key: String) throws(IngestError) -> [(String, String)] {
            guard let value = root[key], !value.isNull else { return [] }
            guard value.isObject else { throw .badMapping(path: path, reason: "\"\(key)\" must be an object of strings") }
            return try value.members.map { (name, item) throws(IngestError) in
                guard let text = item.string else { throw .badMapping(path: path, reason: "\(key).\(name.prefix(40)) must be a string") }
                return (name, text)
            }
        }
        for (target, value) in try strings("defaults") { mapping.defaults[target] = value }
        for (source, target) in try strings("model_aliases") { mapping.modelAliases[source] = target }
        if let unit = root["time_unit"], !unit.isNull {
            guard let text = unit.string else { throw .badMapping(path: path, reason: "time_unit must be one of auto, s, ms, us, ns") }
            mapping.timeUnit = text
        } else {
            mapping.timeUnit = "auto"
        }
        guard ["auto", "s", "ms", "us", "ns"].contains(mapping.timeUnit) else {
            throw .badMapping(path: path, reason: "time_unit must be one of auto, s, ms, us, ns")
        }
        if let relative = root["relative_time"], !relative.isNull {
            guard let flag = relative.bool else { throw .badMapping(path: path, reason: "relative_time must be true or false") }
            mapping.relativeTime = flag
        }
        if let tags = root["tag_columns"], !tags.isNull {
            guard tags.isArray else { throw .badMapping(path: path, reason: "tag_columns must be a list of column names") }
            mapping.tagColumns = try tags.elements.map { item throws(IngestError) in
                guard let name = item.string else { throw .badMapping(path: path, reason: "tag_columns must be a list of column names") }
                return name
            }
        }
        return mapping
    }
}
