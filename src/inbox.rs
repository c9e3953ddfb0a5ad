//! What the JavaScript helpers post to the driver through its one callback,
//! `post(kind, attempt, data, number, flag)` (`js/inbox.js` lists the kinds): socket
//! events, URL provider results and lifecycle signals.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::core::{ConnId, Inbound, Lifecycle};

#[wasm_bindgen(module = "/js/inbox.js")]
extern "C" {
    /// `{ online(), offline(), foreground(), background() }` posting lifecycle signals.
    #[wasm_bindgen(js_name = lifecycleSignals)]
    pub(crate) fn lifecycle_signals(post: &Function) -> JsValue;
}

/// One posting, decoded.
pub(crate) enum Post {
    Opened(ConnId),
    Message(ConnId, Inbound, JsValue),
    Failed(ConnId, String),
    /// `reconnect_allowed`: `shouldReconnect`'s answer, if it gave one.
    Closed {
        conn: ConnId,
        code: u16,
        reason: String,
        was_clean: bool,
        reconnect_allowed: Option<bool>,
    },
    UrlResolved(ConnId, String),
    UrlFailed(ConnId, String),
    Lifecycle(Lifecycle),
}

impl Post {
    pub(crate) fn decode(kind: u32, attempt: u32, data: JsValue, number: f64, flag: bool) -> Post {
        let conn = ConnId::from_u32(attempt);
        let text = || data.as_string().unwrap_or_default();
        match kind {
            0 => Post::Opened(conn),
            1 => Post::Message(conn, Inbound::Data, data),
            2 => Post::Message(conn, Inbound::Pong, data),
            3 => Post::Message(conn, Inbound::Ping, data),
            4 => Post::Failed(conn, text()),
            5..=7 => Post::Closed {
                conn,
                code: number as u16,
                reason: text(),
                was_clean: flag,
                reconnect_allowed: match kind {
                    6 => Some(true),
                    7 => Some(false),
                    _ => None,
                },
            },
            8 => Post::UrlResolved(conn, text()),
            9 => Post::UrlFailed(conn, text()),
            _ => Post::Lifecycle(match number as u32 {
                0 => Lifecycle::Online,
                1 => Lifecycle::Offline,
                2 => Lifecycle::Foreground,
                _ => Lifecycle::Background,
            }),
        }
    }
}
