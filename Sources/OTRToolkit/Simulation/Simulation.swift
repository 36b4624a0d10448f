import OTR

/// simulate's work: two parties made from a seed (or a key file) on one
/// virtual clock, talking through a `SimulatedNetwork` the script steers.
public struct Simulation {
    public var seed: String
    public var alicePolicy: Policy
    public var bobPolicy: Policy
    public var version: UInt16?
    public var fragment: Int?
    public var keyFile: String?
    public var aliceAccount: String
    public var bobAccount: String
    public var protocolName: String
    public var wireOnly: Bool
    public var deliveredOnly: Bool
    public var json: Bool

    public init(seed: String, alicePolicy: Policy, bobPolicy: Policy, version: UInt16?, fragment: Int?, keyFile: String?, aliceAccount: String, bobAccount: String, protocolName: String, wireOnly: Bool, deliveredOnly: Bool = false, json: Bool) {
        self.seed = seed
        self.alicePolicy = alicePolicy
        self.bobPolicy = bobPolicy
        self.version = version
        self.fragment = fragment
        self.keyFile = keyFile
        self.aliceAccount = aliceAccount
        self.bobAccount = bobAccount
        self.protocolName = protocolName
        self.wireOnly = wireOnly
        self.deliveredOnly = deliveredOnly
        self.json = json
    }

    public func run(_ lines: InputLines) throws {
        let diagnostics = Diagnostics(command: "simulate")
        writeStandardError("otrtool simulate: WARNING: INSECURE by design: every key comes from the seed and every secret is printed. Use it for test vectors only.")
        let random = DeterministicRandom(seed: seed.argumentBytes)
        let names = ["alice", "bob"]
        // The transcript shows names as text (U+FFFD for bytes that are
        // not UTF-8); the key file is searched for their bytes.
        let accounts = [aliceAccount, bobAccount].map { String(decoding: $0.argumentBytes, as: UTF8.self) }
        let shownProtocol = String(decoding: protocolName.argumentBytes, as: UTF8.self)
        var keys: [DSAPrivateKey] = []
        if let keyFile {
            let file = try KeyFileStore.loadPrivateKeys(keyFile, diagnostics: diagnostics)
            for account in [aliceAccount, bobAccount] {
                let (name, proto) = (account.argumentBytes, protocolName.argumentBytes)
                guard let entry = file.file.account(name, protocolName: proto) else {
                    throw diagnostics.fatal(keyFile.argumentText, "holds no key for \(display(name)) (\(display(proto)))",
                                            status: .noInput)
                }
                keys.append(entry.key)
            }
        } else {
            keys = try names.map { _ in try DSAPrivateKey.generate(random: random) }
        }
        var policies = [alicePolicy, bobPolicy]
        if let version {
            policies = policies.map { $0.subtracting(version == 3 ? .allowV2 : .allowV3) }
        }
        // One virtual clock for both parties: the run, timers included,
        // is the same on every run.
        let clock = VirtualClock()
        var sessions: [Session] = []
        for i in 0..<2 {
            let tag = InstanceTagFile.newTag(random: random)
            do {
                sessions.append(try Session(configuration: .init(
                    longTermKey: keys[i], policy: policies[i], ourInstance: tag,
                    maximumMessageSize: fragment == 0 ? nil : fragment, accountName: accounts[i]), random: random, clock: clock))
            } catch {
                throw diagnostics.fatal(nil, "\(names[i]): \(error)", status: .usage)
            }
        }

        let out = OutputSink.standardOutput()
        defer { out.flush() }
        var network = SimulatedNetwork(sessions: sessions, names: names, clock: clock, format: wireOnly ? .wire : deliveredOnly ? .delivered : (json ? .json : .text), out: out)
        network.start(seed: String(decoding: seed.argumentBytes, as: UTF8.self), keys: keys, accounts: accounts,
                      protocolName: shownProtocol, fragment: fragment)
        lines.forEach(diagnostics: diagnostics) { location, line in
            do {
                try network.run(line, at: location.description)
            } catch {
                diagnostics.report(location.description, error)
            }
        }
        network.finish()
        out.flush()
        try diagnostics.finish()
    }
}
