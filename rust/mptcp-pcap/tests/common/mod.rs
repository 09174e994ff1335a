//! Helpers shared by the runner's integration tests: running `mptcp-pcap`, reading Zeek
//! ASCII logs and tshark's reference TSVs.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repo's `tests/traces` folder.
pub fn traces_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/traces")
}

/// `../shared/traces/seed` beside the repo, when this checkout has it.
pub fn seed_dir() -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/traces/seed");
    d.is_dir().then_some(d)
}

/// Every bundled trace name (without `.pcap`), sorted.
pub fn trace_names() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(traces_dir())
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().into_string().unwrap();
            n.strip_suffix(".pcap").map(str::to_string)
        })
        .collect();
    v.sort();
    v
}

/// Run the runner on `files` with `args`, into a fresh temp dir; returns the dir.
pub fn run_runner(name: &str, files: &[PathBuf], args: &[&str]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mptcp-pcap-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mptcp-pcap"))
        .arg("--logdir")
        .arg(&dir)
        .args(args)
        .args(files)
        .output()
        .unwrap();
    assert!(out.status.success(), "runner failed on {name}: {}", String::from_utf8_lossy(&out.stderr));
    dir
}

/// A Zeek ASCII log: rows as maps from field name to cell text.
pub fn read_zeek_log(path: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut fields: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for line in text.lines() {
        if let Some(f) = line.strip_prefix("#fields\t") {
            fields = f.split('\t').map(str::to_string).collect();
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        assert_eq!(cells.len(), fields.len(), "bad row in {}: {line}", path.display());
        rows.push(fields.iter().cloned().zip(cells.iter().map(|s| s.to_string())).collect());
    }
    rows
}

/// A tshark TSV: rows as maps from field name to cell text.
pub fn read_tsv(path: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split('\t').map(str::to_string).collect();
    lines
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split('\t').map(str::to_string).chain(std::iter::repeat(String::new())))
                .collect()
        })
        .collect()
}
