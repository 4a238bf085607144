/// Bad input or usage: something the person running Gatehouse can fix.
///
/// Every case leads to exit code 2 and one message that says what is wrong and what to do.
public struct GatehouseError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case notARepository
        /// A repository this build of libgit2 cannot read (SHA-256 object names).
        case unsupportedRepository
        case unknownRevision
        case emptyRepository
        case noMergeBase
        case shallowHistory
        case noBase
        case invalidConfig
        case invalidRules
        /// No CODEOWNERS file where one was looked for (none configured): some commands read that as "no rules".
        case noRules
        case invalidReport
        case invalidArgument
        case unreadableFile
        case git
    }

    public var kind: Kind
    public var message: String
    public var location: SourceLocation?

    public init(_ kind: Kind, _ message: String, at location: SourceLocation? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    public var diagnostic: Finding { Finding(.error, message, at: location) }

    public var description: String { diagnostic.description }
}
