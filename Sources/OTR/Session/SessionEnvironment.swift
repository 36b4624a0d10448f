/// What every instance of a `Session` shares: the configuration, the
/// sources of randomness and time, and how a message goes on the wire.
struct SessionEnvironment {
    var configuration: Session.Configuration
    let random: RandomSource
    let clock: SessionClock

    var now: Int64 { clock.now }

    /// Armours each message and fragments it when it is too long: version
    /// 3 messages in the v3 form with their header's instance tags,
    /// version 2 in the v2 form (spec "Fragmentation").
    func emit(_ messages: [EncodedMessage], into out: inout SessionOutput) throws {
        for message in messages {
            let armoured = Array(try message.armoured().utf8)
            guard let size = configuration.maximumMessageSize, armoured.count > size,
                  let header = message.header else {
                out.wire.append(armoured)
                continue
            }
            let fragmenter: Fragmenter
            if MessageHeader.hasInstanceTags(version: header.version) {
                fragmenter = try Fragmenter(form: .v3, senderInstance: header.senderInstance?.rawValue ?? 0,
                                            receiverInstance: header.receiverInstance?.rawValue ?? 0,
                                            maximumMessageSize: size)
            } else {
                fragmenter = try Fragmenter(form: .v2, maximumMessageSize: size)
            }
            out.wire += try fragmenter.fragments(of: armoured)
        }
    }

    /// A Query Message offering the policy's versions, followed by an
    /// explanation for clients without OTR.
    func queryMessage() -> [UInt8] {
        let who = configuration.accountName.isEmpty ? "Your correspondent" : configuration.accountName
        return Array((QueryMessage.encode(versions: configuration.policy.offeredVersions)
            + " \(who) has requested an Off-the-Record private conversation, which your client does not support. "
            + "See https://otr.cypherpunks.ca/ for more information.").utf8)
    }
}
