/// Which text of a stored request is embedded: a documented choice, because what a semantic cache
/// keys on decides what it can match.
///
/// - `last-user`: the last user message (what GPTCache's default pre-processor keys on). Prompts
///   stored from chat messages read "role: text" per message; a prompt without role lines is its own
///   last user message.
/// - `conversation`: the whole prompt text as stored.
/// - `template:…`: a template with `{last_user}`, `{conversation}`, `{system}` and `{model}`, e.g.
///   `template:{model} {system} {last_user}` so a cache never matches across system prompts.
public enum EmbeddingTextMode: Sendable, Equatable, CustomStringConvertible {
    case lastUser
    case conversation
    case template(String)

    public init(parsing text: String) throws(EmbeddingError) {
        switch text {
        case "last-user": self = .lastUser
        case "conversation": self = .conversation
        default:
            guard text.hasPrefix("template:"), text.count > "template:".count else {
                throw EmbeddingError.usage("--text \"\(text)\" must be last-user, conversation or template:TEXT")
            }
            self = .template(String(text.dropFirst("template:".count)))
        }
    }

    public var description: String {
        switch self {
        case .lastUser: return "last-user"
        case .conversation: return "conversation"
        case .template(let text): return "template:" + text
        }
    }

    /// The text to embed, or nil when the request has no prompt text.
    public func text(of record: TraceRecord) -> String? {
        guard let prompt = record.promptText, !prompt.isEmpty else { return nil }
        switch self {
        case .conversation: return prompt
        case .lastUser: return Self.lastMessage(prompt, role: "user") ?? prompt
        case .template(let template):
            return template
                .replacingOccurrences(of: "{last_user}", with: Self.lastMessage(prompt, role: "user") ?? prompt)
                .replacingOccurrences(of: "{conversation}", with: prompt)
                .replacingOccurrences(of: "{system}", with: Self.lastMessage(prompt, role: "system") ?? "")
                .replacingOccurrences(of: "{model}", with: record.model ?? "")
        }
    }

    static let roles = ["system", "developer", "user", "assistant", "tool", "function"]

    /// The last message of `role` in a prompt stored as "role: text" lines, or nil when the prompt has none.
    static func lastMessage(_ prompt: String, role: String) -> String? {
        var messages: [(role: String, lines: [Substring])] = []
        for line in prompt.split(separator: "\n", omittingEmptySubsequences: false) {
            if let colon = line.firstIndex(of: ":"), roles.contains(String(line[..<colon])),
               line[line.index(after: colon)...].first == " " {
                messages.append((String(line[..<colon]), [line[line.index(colon, offsetBy: 2)...]]))
            } else if !messages.isEmpty {
                messages[messages.count - 1].lines.append(line)
            } else {
                return nil
            }
        }
        return messages.last { $0.role == role }.map { $0.lines.joined(separator: "\n") }
    }
}
