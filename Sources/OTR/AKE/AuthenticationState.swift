/// The authentication state, authstate (spec "The protocol state machine",
/// "Authentication state"): where one party is in the AKE with one
/// correspondent.
public enum AuthenticationState: String, Sendable, CaseIterable {
    /// AUTHSTATE_NONE: no AKE in progress; the initial state, and the state
    /// after every AKE, whether it succeeded or not.
    case none
    /// AUTHSTATE_AWAITING_DHKEY: we sent a D-H Commit and wait for the D-H Key.
    case awaitingDHKey
    /// AUTHSTATE_AWAITING_REVEALSIG: we answered a D-H Commit with a D-H Key
    /// and wait for the Reveal Signature.
    case awaitingRevealSignature
    /// AUTHSTATE_AWAITING_SIG: we answered a D-H Key with a Reveal Signature
    /// and wait for the Signature.
    case awaitingSignature
    /// AUTHSTATE_V1_SETUP: entered only by sending a version 1 Key Exchange.
    /// Version 1 is recognised here, not spoken, so a machine of this
    /// library never enters it; the case keeps the spec's table complete.
    case v1Setup

    /// The spec's name of the state.
    public var specName: String {
        switch self {
        case .none: "AUTHSTATE_NONE"
        case .awaitingDHKey: "AUTHSTATE_AWAITING_DHKEY"
        case .awaitingRevealSignature: "AUTHSTATE_AWAITING_REVEALSIG"
        case .awaitingSignature: "AUTHSTATE_AWAITING_SIG"
        case .v1Setup: "AUTHSTATE_V1_SETUP"
        }
    }
}
