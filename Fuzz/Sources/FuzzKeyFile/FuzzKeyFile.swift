// libFuzzer target: libotr's private key file and the S-expression reader
// under it.
//
// The input is read as an S-expression (with the key file's limits, and
// again with tiny limits so that every bound is reached) and as a whole
// key file. Beyond not crashing: what SExpressionWriter writes reads back
// to the same tree, and a key file that was read is written in libotr's
// layout and reads back to the same accounts and keys.
import OTR

let tinyLimits = SExpressionReader.Limits(maximumDepth: 3, maximumSize: 512, maximumElements: 24)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let tree = try? SExpressionReader.parse(bytes) {
        let written = SExpressionWriter.advanced(tree)
        guard let again = try? SExpressionReader.parse(written) else {
            fatalError("written S-expression is not read back: \(String(decoding: written, as: UTF8.self))")
        }
        if !same(tree, again) {
            fatalError("written S-expression reads back differently: \(String(decoding: written, as: UTF8.self))")
        }
    }
    _ = try? SExpressionReader.parse(bytes, limits: tinyLimits)

    if let file = try? PrivateKeyFile(parsing: bytes) {
        guard let written = try? file.serialised() else {
            fatalError("key file read but not written back")
        }
        guard let again = try? PrivateKeyFile(parsing: written) else {
            fatalError("written key file is not read back")
        }
        let before = file.accounts.map(summary), after = again.accounts.map(summary)
        if before != after {
            fatalError("written key file reads back differently")
        }
    }
    return 0
}

func same(_ a: SExpression, _ b: SExpression) -> Bool {
    switch (a.value, b.value) {
    case (.atom(let x), .atom(let y)):
        return x == y
    case (.list(let x), .list(let y)):
        return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
    default:
        return false
    }
}

struct AccountSummary: Equatable {
    var name: [UInt8]
    var protocolName: [UInt8]
    var publicKey: DSAPublicKey
    var x: MPI
}

func summary(_ a: AccountKey) -> AccountSummary {
    AccountSummary(name: a.accountName, protocolName: a.protocolName, publicKey: a.key.publicKey, x: a.key.x)
}
