import Foundation

/// otrtool run by /bin/sh, for what Process cannot give: standard output
/// closed or on /dev/full, and arguments that are not UTF-8 (Process
/// takes Strings; the script makes the bytes with printf).
enum Shell {
    /// Runs `script` with `$0` the otrtool binary and `$1`... `arguments`.
    /// A script that ends in `exec "$0" ...` gives otrtool's own status.
    static func run(_ script: String, _ arguments: [String] = [], stdin: Data = Data()) throws -> Tool.Result {
        try Tool.run(["-c", script, Tool.binary.path] + arguments, stdin: stdin,
                     executable: URL(fileURLWithPath: "/bin/sh"))
    }

    /// Single-quotes `text` for the shell.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A shell word for `bytes`: printf with octal escapes, any byte.
    static func bytes(_ bytes: [UInt8]) -> String {
        "\"$(printf '" + bytes.map { "\\" + String($0, radix: 8) }.joined() + "')\""
    }

    /// The command line `otrtool arguments...`, each argument quoted.
    static func command(_ arguments: [String]) -> String {
        "\"$0\" " + arguments.map(quoted).joined(separator: " ")
    }
}
