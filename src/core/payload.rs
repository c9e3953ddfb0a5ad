//! Messages as the core sees them: opaque, with a size.

/// A message the machine carries without looking inside. Its size is asked for only when
/// the message must wait in the send queue (whose limits are in bytes), so sending on an
/// open socket never measures anything.
pub trait Payload {
    /// Size in bytes as sent on the wire (UTF-8 for text).
    fn byte_len(&self) -> usize;
}

impl Payload for String {
    fn byte_len(&self) -> usize {
        self.len()
    }
}

impl Payload for Vec<u8> {
    fn byte_len(&self) -> usize {
        self.len()
    }
}
