import ArgumentParser
import OTR

/// `--policy never|manual|opportunistic|always|NUMBER` (libotr's names
/// and bit values).
struct PolicyArgument: ExpressibleByArgument {
    let policy: Policy

    init?(argument: String) {
        guard let policy = Policy(name: argument) else { return nil }
        self.policy = policy
    }

    init(_ policy: Policy) { self.policy = policy }

    var defaultValueDescription: String {
        switch policy {
        case .never: "never"
        case .manual: "manual"
        case .opportunistic: "opportunistic"
        case .always: "always"
        default: "0x" + String(policy.rawValue, radix: 16)
        }
    }

    static var allValueStrings: [String] { ["never", "manual", "opportunistic", "always"] }

    /// Completions offer the named policies (a number is accepted too).
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
