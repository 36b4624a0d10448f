import OTR

#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// Opens an input named on the command line, with one rule for every
/// command: an input that cannot be opened, or is no file to read (a
/// directory), is status 66, and the command goes on with the next one;
/// a read that fails once reading has begun is status 74.
public enum InputFile {
    /// The descriptor to read `path` from ("-" is standard input, left
    /// open by `close`; an in-process run may name another descriptor).
    public static func open(_ path: String, standardInput: Int32 = 0) -> Result<Int32, Problem> {
        let fd = path == "-" ? standardInput : path.withArgumentCString { Glibc.open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else {
            return .failure(Problem("cannot open \(name(path)): \(errnoText())", status: .noInput))
        }
        var st = stat()
        if fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFDIR {
            if path != "-" { close(fd) }
            return .failure(Problem("cannot open \(name(path)): \(String(cString: strerror(EISDIR)))",
                                    status: .noInput))
        }
        return .success(fd)
    }

    public static func close(_ fd: Int32) {
        if fd != 0 { _ = Glibc.close(fd) }
    }

    /// The input as messages name it.
    public static func name(_ path: String) -> String { path == "-" ? "standard input" : path.argumentText }
}
