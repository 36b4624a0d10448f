import OTR
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// What is checked before a private key goes to standard output: a
/// terminal is refused unless asked for, since the key would stay in its
/// scrollback; a file that others may read is written, as asked, with a
/// warning, because the shell created it with the umask's mode, not 0600
/// as otrtool's own key files are.
public enum PrivateKeyOutput {
    public static func check(allowTerminal: Bool, fileOption: String, diagnostics: Diagnostics) throws {
        if isatty(1) != 0 {
            guard allowTerminal else {
                throw diagnostics.fatal(nil, "refusing to write a private key to a terminal; give \(fileOption), redirect standard output, or give --allow-terminal",
                                        status: .usage)
            }
            return
        }
        var st = stat()
        guard fstat(1, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return }
        let mode = st.st_mode & 0o777
        if mode & 0o077 != 0 {
            writeStandardError("otrtool \(diagnostics.command): warning: standard output is a file of mode \(octal(mode)) that others can read; the private key written to it is not protected (chmod 600 it, or give \(fileOption))")
        }
    }

    public static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
