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

    @Option(name: .customLong("smp-exponent"), help: ArgumentHelp("A party's secret SMP exponent (a2, a3, b2 or b3); with both of one party, SMP proofs of P and Q and the outcome are checked.", valueName: "secret"))
    var smpExponents: [SecretSource] = []

    @Option(name: .customLong("smp-secret"), help: ArgumentHelp("The SMP secret a party answered with (its bytes; give both parties'): an exchange that goes against them is named.", valueName: "secret"))
    var smpSecrets: [SecretSource] = []

    @Flag(name: .customLong("show-keys"), help: "Print the keys used and derived (AES, MAC, AKE keys).")
    var showKeys = false

    func load() throws -> CaptureKeys {
        try CaptureKeys(reading: (aesKeys, macKeys, dhPrivateKeys, sharedSecrets, smpExponents, smpSecrets))
    }
}
