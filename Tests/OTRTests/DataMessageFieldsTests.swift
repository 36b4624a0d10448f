import Testing
import OTR

/// A Data Message read from bytes holds its byte fields as slices of those
/// bytes, in one box shared by its copies (`DataMessage`): what is checked
/// here is that it still behaves as a plain value.
struct DataMessageFieldsTests {
    struct NotADataMessage: Error {}

    /// The spec's example Data message (WireFormatTests.specDataMessage).
    static func read() throws -> (DataMessage, [UInt8]) {
        let binary = try Armour.unwrap(Array(WireFormatTests.specDataMessage.utf8))
        guard case .data(let d) = try EncodedMessage.read(binary) else { throw NotADataMessage() }
        return (d, binary)
    }

    @Test func theByteFieldsAreTheBytesAtTheirPlaceInTheMessage() throws {
        let (d, binary) = try Self.read()
        // Header 11, flags 1, keyids 8, MPI 4 + 192: the counter is at 216.
        #expect(Array(d.counterBytes) == Array(binary[216..<224]))
        #expect(d.counterBytes.startIndex == 216)
        #expect(Array(d.encryptedMessageBytes) == Array(binary[228..<235]))
        #expect(Array(d.macBytes) == Array(binary[235..<255]))
        #expect(d.oldMACKeysBytes.isEmpty)
        // The array properties are copies with indices from 0.
        #expect(d.counter == Array(binary[216..<224]) && d.counter.startIndex == 0)
        #expect(d.encryptedMessage == Array(binary[228..<235]))
        #expect(d.mac == Array(binary[235..<255]))
    }

    @Test func aCopyChangedLeavesTheOriginalAsItWas() throws {
        let (original, binary) = try Self.read()
        var copy = original
        #expect(copy == original)
        copy.counter = [0, 0, 0, 0, 0, 0, 0, 9]
        copy.encryptedMessage[0] ^= 0xff
        copy.flags = 1
        copy.oldMACKeys = [UInt8](repeating: 7, count: 20)
        #expect(copy != original)
        #expect(original.counter == [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(original.encryptedMessage == Array(binary[228..<235]))
        #expect(original.flags == 0 && original.oldMACKeys.isEmpty)
        #expect(try EncodedMessage.data(original).serialize() == binary)
        #expect(copy.counter == [0, 0, 0, 0, 0, 0, 0, 9])
        #expect(copy.encryptedMessage[0] == binary[228] ^ 0xff)
        #expect(copy.oldMACKeysBytes.count == 20)
    }

    @Test func equalityComparesBytesWhereverTheyLie() throws {
        let (read, _) = try Self.read()
        // The same fields given as arrays: equal to the message read.
        let built = DataMessage(header: read.header, flags: read.flags, senderKeyID: read.senderKeyID,
                                recipientKeyID: read.recipientKeyID, nextDHKey: read.nextDHKey,
                                counter: read.counter, encryptedMessage: read.encryptedMessage, mac: read.mac,
                                oldMACKeys: read.oldMACKeys, authenticatedRange: read.authenticatedRange)
        #expect(built == read)
        var other = built
        other.mac[19] ^= 1
        #expect(other != read)
        other.mac[19] ^= 1
        #expect(other == read)
    }

    @Test func aMessageReadFromBytesIsWrittenBackByteForByteAfterAnEditAndBack() throws {
        let (read, binary) = try Self.read()
        var edited = read
        edited.senderKeyID = 5
        #expect(try EncodedMessage.data(edited).serialize() != binary)
        edited.senderKeyID = read.senderKeyID
        #expect(try EncodedMessage.data(edited).serialize() == binary)
    }
}
