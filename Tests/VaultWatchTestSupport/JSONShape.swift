/// A hand-written schema: the fields a document must (or may) have and their JSON types, checked
/// without a schema library or the network. Paths are dotted; `[]` steps into every element of
/// an array (`finding_info.attacks[].tactic.uid`).
public struct JSONShape: Sendable {
    public enum Kind: String, Sendable {
        case string, integer, boolean, array, object
        /// An integer or a float.
        case number
    }

    public struct Field: Sendable {
        public var path: String
        public var kind: Kind
        public var required: Bool
        /// Whether `null` stands in for an absent value.
        public var nullable: Bool
        /// When not empty, the allowed values (strings or integers, as text).
        public var allowed: [String]
    }

    public var fields: [Field] = []

    public init() {}

    /// A field that must be present, of `kind`, and (when given) one of `allowed`.
    public mutating func require(_ path: String, _ kind: Kind, nullable: Bool = false, allowed: [String] = []) {
        fields.append(Field(path: path, kind: kind, required: true, nullable: nullable, allowed: allowed))
    }

    /// A field that may be absent (or null) but, when present, is of `kind`.
    public mutating func optional(_ path: String, _ kind: Kind, allowed: [String] = []) {
        fields.append(Field(path: path, kind: kind, required: false, nullable: true, allowed: allowed))
    }

    /// Every way `document` breaks the shape, as `path: problem`; empty when it conforms.
    public func violations(of document: JSONValue) -> [String] {
        var problems: [String] = []
        for field in fields {
            for (path, value) in Self.resolve(field.path, in: document) {
                guard let value else {
                    if field.required { problems.append("\(path): missing") }
                    continue
                }
                if case .null = value {
                    if field.required && !field.nullable { problems.append("\(path): null") }
                    continue
                }
                guard Self.matches(value, field.kind) else {
                    problems.append("\(path): \(value.typeName), expected \(field.kind.rawValue)")
                    continue
                }
                if !field.allowed.isEmpty {
                    let text = value.string ?? value.integer.map(String.init) ?? ""
                    if !field.allowed.contains(text) { problems.append("\(path): \(text) not in \(field.allowed)") }
                }
            }
        }
        return problems
    }

    private static func matches(_ value: JSONValue, _ kind: Kind) -> Bool {
        switch (kind, value) {
        case (.string, .string), (.integer, .integer), (.boolean, .bool), (.array, .array), (.object, .object),
            (.number, .integer), (.number, .number):
            true
        default:
            false
        }
    }

    /// The values at `path` (one per array element crossed), nil where a step is missing.
    /// A missing parent yields nothing for an optional child: an element-less array too.
    static func resolve(_ path: String, in document: JSONValue) -> [(String, JSONValue?)] {
        var current: [(String, JSONValue?)] = [("", document)]
        for step in path.split(separator: ".") {
            let expands = step.hasSuffix("[]")
            let key = expands ? String(step.dropLast(2)) : String(step)
            var next: [(String, JSONValue?)] = []
            for (prefix, value) in current {
                let name = prefix.isEmpty ? key : "\(prefix).\(key)"
                guard let value else { next.append((name, nil)); continue }
                guard case .object = value else {
                    if case .null = value { continue }  // a null parent: nothing below it to check
                    next.append((name, nil)); continue
                }
                let child = value[key]
                if expands, let elements = child?.array {
                    for (index, element) in elements.enumerated() { next.append(("\(name)[\(index)]", element)) }
                } else {
                    next.append((name, child))
                }
            }
            current = next
        }
        return current
    }
}
