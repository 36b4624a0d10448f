import ArgumentParser
import OTR
import OTRToolkit

/// The secrets decode (and later forge) accept. Each option can be given
/// several times; each value is file:PATH, env:NAME, fd:N or hex.
struct SecretOptions: ParsableArguments {
    @Option(name: .customLong("aes-key"), help: ArgumentHelp(
        "A 16-byte data-message AES key (its MAC key is SHA-1 of it).", valueName: "secret"))
    var aesKeys: [SecretSource] = []

    @Option(name: .customLong("mac-key"), help: ArgumentHelp(
        "A 20-byte data-message MAC key, to verify without decrypting.", valueName: "secret"))
    var macKeys: [SecretSource] = []

    @Option(name: .customLong("dh-private"), help: ArgumentHelp(
        "A D-H private exponent of either party; AKE and data keys are derived from it and the public values in the input.",
        valueName: "secret"))
    var dhPrivateKeys: [SecretSource] = []

    @Option(name: .customLong("ake-secret"), help: ArgumentHelp(
        "An AKE's D-H shared secret s (the MPI value, without its length).", valueName: "secret"))
    var sharedSecrets: [SecretSource] = []

    @Flag(name: .customLong("show-keys"), help: "Print the keys used and derived (AES, MAC, AKE keys).")
    var showKeys = false

    func load() throws -> CaptureKeys {
        var keys = CaptureKeys()
        for s in aesKeys {
            let key = try s.read("--aes-key")
            guard key.count == 16 else { throw SecretError("--aes-key: must be 16 bytes, \(s) holds \(key.count)") }
            keys.aesKeys.append(key)
        }
        for s in macKeys {
            let key = try s.read("--mac-key")
            guard key.count == 20 else { throw SecretError("--mac-key: must be 20 bytes, \(s) holds \(key.count)") }
            keys.macKeys.append(key)
        }
        for s in dhPrivateKeys {
            let x = MPI(bytes: try s.read("--dh-private"))
            do {
                keys.dhKeyPairs.append(try DHKeyPair(privateKey: x))
            } catch {
                throw SecretError("--dh-private: \(s): \(error)")
            }
        }
        for s in sharedSecrets {
            keys.sharedSecrets.append(MPI(bytes: try s.read("--ake-secret")))
        }
        return keys
    }
}
