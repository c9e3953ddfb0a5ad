//! Closing a TCP connection without destroying the last thing we sent.
//!
//! Closing a socket that still has unread bytes makes the kernel send RST,
//! which can discard our final response or close frame before the client
//! reads it. So we send FIN, then read and discard whatever the client still
//! sends until it hangs up too, for a bounded time.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long we keep discarding. Reading into a fixed buffer, so the time is
/// the only cost to bound.
const LINGER_TIME: Duration = Duration::from_secs(1);

/// Sends FIN and discards input until the client closes or `LINGER_TIME`
/// passes. Best effort: the client may be gone already.
pub async fn hang_up(stream: &mut TcpStream) {
    if stream.shutdown().await.is_err() {
        return;
    }
    let mut discard = [0u8; 16 * 1024];
    let drain = async { while let Ok(1..) = stream.read(&mut discard).await {} };
    let _ = tokio::time::timeout(LINGER_TIME, drain).await;
}
