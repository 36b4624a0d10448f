/// The message state, msgstate (spec "The protocol state machine",
/// "Message state"): what happens to what the user types.
public enum MessageState: String, Sendable, CaseIterable {
    /// MSGSTATE_PLAINTEXT: messages go out unencrypted.
    case plaintext
    /// MSGSTATE_ENCRYPTED: messages go out as Data Messages.
    case encrypted
    /// MSGSTATE_FINISHED: the correspondent ended the private conversation;
    /// nothing is sent until the user ends it too.
    case finished

    public var specName: String {
        switch self {
        case .plaintext: "MSGSTATE_PLAINTEXT"
        case .encrypted: "MSGSTATE_ENCRYPTED"
        case .finished: "MSGSTATE_FINISHED"
        }
    }
}
