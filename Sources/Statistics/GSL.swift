import CGSL

/// The one place GSL is configured: its default error handler aborts the process, so it is
/// switched off before any call and every status code is checked instead.
public enum GSL {
    private static let setUp: Void = { _ = gsl_set_error_handler_off() }()

    /// Call before any GSL function; cheap after the first time.
    @inline(__always) public static func prepare() { _ = setUp }

    /// GSL's version string, e.g. "2.7.1".
    public static var version: String {
        prepare()
        return String(cString: cgsl_version())
    }

    static func check(_ status: Int32, _ what: String) throws(StatisticsError) {
        guard status == GSL_SUCCESS else {
            throw StatisticsError.gsl(status: Int(status), message: String(cString: gsl_strerror(status)), during: what)
        }
    }
}

/// A failed statistical computation.
public enum StatisticsError: Error, Sendable, Equatable, CustomStringConvertible {
    case gsl(status: Int, message: String, during: String)
    case insufficientData(String)

    public var description: String {
        switch self {
        case let .gsl(status, message, during): return "GSL error \(status) (\(message)) during \(during)"
        case let .insufficientData(what): return "not enough data: \(what)"
        }
    }
}
