//! `check-mvp FILE.wasm...`: fails unless every module validates with WebAssembly 1.0
//! features only (the MVP plus mutable globals). iOS mini-programs reject anything newer
//! ("CompileError: invalid wasm file"): reference types, multi-value, bulk memory,
//! sign extension, non-trapping float-to-int...

use std::process::ExitCode;

use wasmparser::{Validator, WasmFeatures};

/// Validates `bytes` as a WebAssembly 1.0 module.
fn check(bytes: &[u8]) -> Result<(), String> {
    Validator::new_with_features(WasmFeatures::WASM1)
        .validate_all(bytes)
        .map(|_| ())
        .map_err(|error| error.to_string())
}

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: check-mvp FILE.wasm...");
        return ExitCode::from(2);
    }
    let mut ok = true;
    for file in &files {
        match std::fs::read(file)
            .map_err(|error| error.to_string())
            .and_then(|bytes| check(&bytes))
        {
            Ok(()) => println!("{file}: MVP + mutable-global only"),
            Err(problem) => {
                eprintln!("{file}: {problem}");
                ok = false;
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    /// A module with one function of type `(i32 i32 i32) -> ()` and a one-page memory,
    /// whose body is `body` (without the size prefix).
    fn module(body: &[u8]) -> Vec<u8> {
        let mut bytes = b"\0asm\x01\0\0\0".to_vec();
        bytes.extend([1, 7, 1, 0x60, 3, 0x7f, 0x7f, 0x7f, 0]); // type section
        bytes.extend([3, 2, 1, 0]); // function section
        bytes.extend([5, 3, 1, 0, 1]); // memory section
        let mut code = vec![1, body.len() as u8 + 1, 0]; // one body, no locals
        code.extend(body);
        bytes.push(10);
        bytes.push(code.len() as u8);
        bytes.extend(code);
        bytes
    }

    #[test]
    fn accepts_mvp_code() {
        // local.get 0; local.get 1; i32.store; end
        assert_eq!(
            check(&module(&[0x20, 0, 0x20, 1, 0x36, 2, 0, 0x0b])),
            Ok(())
        );
    }

    #[test]
    fn rejects_bulk_memory() {
        // local.get 0; local.get 1; local.get 2; memory.copy 0 0; end
        let problem =
            check(&module(&[0x20, 0, 0x20, 1, 0x20, 2, 0xfc, 10, 0, 0, 0x0b])).unwrap_err();
        assert!(problem.contains("bulk memory"), "{problem}");
    }

    #[test]
    fn rejects_sign_extension() {
        // local.get 0; i32.extend8_s; drop; end
        let problem = check(&module(&[0x20, 0, 0xc0, 0x1a, 0x0b])).unwrap_err();
        assert!(problem.contains("sign extension"), "{problem}");
    }
}
