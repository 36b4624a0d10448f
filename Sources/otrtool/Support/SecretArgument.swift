import ArgumentParser
import OTRToolkit

/// Every secret option takes a `SecretSource` (file:PATH, env:NAME, fd:N,
/// hex:HEX); a value of no such form is reported when read, without
/// repeating it, so the parser never fails on one.
extension SecretSource: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
