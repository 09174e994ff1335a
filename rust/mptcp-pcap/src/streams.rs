//! `--streams DIR`: each MPTCP connection's reassembled bytes, one file per direction.

use mptcp_core::reassembly::{Delivery, DeliveryKind};
use std::collections::HashMap;
use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

pub struct StreamFiles {
    dir: PathBuf,
    open: HashMap<(u64, u8), File>,
}

impl StreamFiles {
    pub fn create(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(StreamFiles { dir: dir.to_path_buf(), open: HashMap::new() })
    }

    fn path(&self, id: u64, side: u8) -> PathBuf {
        self.dir.join(format!("mptcp-{id}.{}", if side == 0 { "client" } else { "server" }))
    }

    /// One delivery; `payload` is the payload of the packet being processed.
    pub fn write(&mut self, d: &Delivery, payload: &[u8]) -> std::io::Result<()> {
        let key = (d.mptcp_id, d.side);
        if d.kind == DeliveryKind::End {
            // Make the file exist even for a direction without data, then close it.
            if !self.open.contains_key(&key) {
                File::create(self.path(d.mptcp_id, d.side))?;
            }
            self.open.remove(&key);
            return Ok(());
        }
        if !self.open.contains_key(&key) {
            let f = File::create(self.path(d.mptcp_id, d.side))?;
            self.open.insert(key, f);
        }
        let Some(f) = self.open.get_mut(&key) else { return Ok(()) };
        match &d.kind {
            // A hole stays zeros: extend the file to the end of the gap.
            DeliveryKind::Gap(n) => f.set_len(d.offset + n),
            _ => {
                f.seek(SeekFrom::Start(d.offset))?;
                f.write_all(d.bytes(payload))
            }
        }
    }
}
