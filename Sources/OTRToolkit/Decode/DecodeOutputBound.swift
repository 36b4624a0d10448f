import OTR

/// The bound on what decode writes that its manual states (and the
/// hostile-input tests check, for every command that reports on a capture).
public enum DecodeOutputBound {
    public static let bytesPerInputByte = 128
    public static let bytesPerLine = 256
}
