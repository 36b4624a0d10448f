import OTR

/// Telling libotr's otr.instance_tags apart from an otr.fingerprints file,
/// both tab-separated text: fingerprint lists its entries.
public enum InstanceTagListing {
    /// libotr's warning line first (instag.c writes it), or else lines of
    /// exactly three fields whose last is 8 hex digits (an otr.fingerprints
    /// line has four or five, the fourth 40 hex digits).
    public static func recognises(_ bytes: [UInt8]) -> Bool {
        let lines = bytes.split(separator: 0x0a, omittingEmptySubsequences: true).map { line in
            line.last == 0x0d ? line.dropLast() : line
        }
        guard let first = lines.first else { return false }
        if first.elementsEqual(InstanceTagFile.header.utf8) { return true }
        let tabbed = lines.filter { $0.contains(0x09) }
        return !tabbed.isEmpty && tabbed.allSatisfy { line in
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
            return fields.count == 3 && fields[2].count == 8 && fields[2].allSatisfy(FingerprintSources.isHexDigit)
        }
    }
}
