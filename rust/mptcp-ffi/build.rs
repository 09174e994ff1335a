//! Generates the C header with cbindgen and checks it against the committed copy in
//! include/mptcp_ffi.h: a header that does not match the Rust side fails the build
//! (set MPTCP_FFI_BLESS=1 to rewrite it). The Zeek plugin includes the committed copy.

use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=../mptcp-core/src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=include/mptcp_ffi.h");
    println!("cargo:rerun-if-env-changed=MPTCP_FFI_BLESS");
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let bindings = cbindgen::Builder::new()
        .with_crate(&dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate the header");
    let mut fresh = Vec::new();
    bindings.write(&mut fresh);
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("mptcp_ffi.h");
    std::fs::write(&out, &fresh).expect("write generated header");
    let committed = dir.join("include/mptcp_ffi.h");
    let old = std::fs::read(&committed).unwrap_or_default();
    if old != fresh {
        if std::env::var_os("MPTCP_FFI_BLESS").is_some() {
            std::fs::create_dir_all(dir.join("include")).expect("mkdir include");
            std::fs::write(&committed, &fresh).expect("write include/mptcp_ffi.h");
        } else {
            panic!(
                "include/mptcp_ffi.h is stale: it does not match what cbindgen generates from the Rust \
                 source ({}). Regenerate it with `MPTCP_FFI_BLESS=1 cargo build -p mptcp-ffi`.",
                out.display()
            );
        }
    }
}
