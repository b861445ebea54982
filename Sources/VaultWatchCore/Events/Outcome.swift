/// How a Key Vault call ended.
///
/// Taken from `httpStatusCode`, else from `resultSignature`, never from `resultType`: the
/// service writes `resultType: "Success"` even for a 403.
public enum Outcome: UInt8, Sendable, Hashable, CaseIterable, Codable {
    case success
    /// 401 or 403: the caller was refused.
    case denied
    case notFound
    case throttled
    case clientError
    case serverError
    case unknown

    public init(httpStatusCode code: Int) {
        switch code {
        case 200..<400: self = .success
        case 401, 403: self = .denied
        case 404: self = .notFound
        case 429: self = .throttled
        case 400..<500: self = .clientError
        case 500..<600: self = .serverError
        default: self = .unknown
        }
    }

    /// From a `resultSignature` such as `OK`, `Forbidden`, `Unauthorized`, `Not Found`, `TooManyRequests`.
    public init(resultSignature text: String) {
        let key = text.lowercased().filter { $0 != " " }
        switch key {
        case "ok", "accepted", "created", "nocontent", "success", "partialcontent", "notmodified": self = .success
        case "forbidden", "unauthorized": self = .denied
        case "notfound": self = .notFound
        case "toomanyrequests", "throttled": self = .throttled
        case "badrequest", "conflict", "gone", "methodnotallowed", "preconditionfailed", "requestentitytoolarge":
            self = .clientError
        case "internalservererror", "serviceunavailable", "badgateway", "gatewaytimeout":
            self = .serverError
        default: self = .unknown
        }
    }

    public var name: String {
        switch self {
        case .success: "success"
        case .denied: "denied"
        case .notFound: "notFound"
        case .throttled: "throttled"
        case .clientError: "clientError"
        case .serverError: "serverError"
        case .unknown: "unknown"
        }
    }
}
