/// Network limits for --preset. The pidgin-otr values are the maximum
/// message sizes pidgin-otr 4.0.2 gives libotr per protocol (its mms_table).
public enum FragmentPreset: String, CaseIterable, Sendable {
    case irc, xmpp, aim, icq, oscar, msn, yahoo, gg, novell

    public var size: Int {
        switch self {
        // pidgin-otr's prpl-irc: RFC 1459's 512-byte line less the
        // ":nick!user@host PRIVMSG target :" prefix and CR LF.
        case .irc: 417
        // XMPP has no protocol limit; servers bound stanzas (ejabberd's
        // example configuration: max_stanza_size 65536). Half of that
        // leaves room for the stanza's XML, addresses and hints.
        case .xmpp: 32768
        case .aim: 2343
        case .icq: 2346
        case .oscar: 2343
        case .msn: 1409
        case .yahoo: 799
        case .gg: 1232
        case .novell: 1792
        }
    }

    public static var helpText: String {
        allCases.map { "\($0.rawValue) \($0.size)" }.joined(separator: ", ")
    }
}
