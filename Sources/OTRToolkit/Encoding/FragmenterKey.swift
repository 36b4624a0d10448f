import OTR

public struct FragmenterKey: Hashable {
    public init(form: FragmentForm, sender: UInt32, receiver: UInt32) {
        self.form = form
        self.sender = sender
        self.receiver = receiver
    }

    public let form: FragmentForm
    public let sender: UInt32
    public let receiver: UInt32
}
