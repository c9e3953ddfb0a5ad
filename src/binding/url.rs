//! URL providers (`url: () => string | Promise<string>`), asked before every attempt. A
//! Promise is awaited in Rust (wasm-bindgen-futures' `JsFuture`, on its `spawn_local`
//! executor). The core's connect timeout covers this wait: if it runs out first, the
//! attempt fails, and the answer, whenever it comes, is for an attempt that is over and is
//! ignored.

use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};

use super::driver::Driver;
use super::host::{check_provided_url, describe_error, Host};
use crate::core::ConnId;

/// Asks the provider for the URL of attempt `conn` and reports the outcome to `driver`, at
/// once when the provider answers with a value, later when it answers with a Promise.
pub(crate) fn resolve(driver: &Driver, host: &Host, conn: ConnId) {
    let answer = match host.provide_url() {
        Ok(answer) => answer,
        Err(error) => {
            let problem = failure(&error);
            return driver.url_resolved(conn, Err(problem));
        }
    };
    let Some(promise) = answer.dyn_ref::<Promise>() else {
        return driver.url_resolved(conn, checked(&answer, "returned"));
    };
    let future = JsFuture::from(promise.clone());
    let driver = driver.weak_handle();
    spawn_local(async move {
        let settled = future.await;
        let Some(driver) = driver.upgrade() else {
            return;
        };
        let url = match settled {
            Ok(value) => checked(&value, "resolved to"),
            Err(error) => Err(failure(&error)),
        };
        driver.url_resolved(conn, url);
    });
}

fn checked(value: &JsValue, verb: &str) -> Result<String, String> {
    check_provided_url(value, verb)
        .map_err(|problem| describe_error(&problem, "the provider gave no usable URL"))
}

fn failure(error: &JsValue) -> String {
    let mut problem = String::from("the provider failed: ");
    problem.push_str(&describe_error(
        error,
        "it threw something that cannot be printed",
    ));
    problem
}
