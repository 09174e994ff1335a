//! A slab with generational handles: a freed slot's old handle no longer resolves, so a
//! caller holding a stale handle (a Zeek analyzer whose subflow the core evicted) gets
//! `None` instead of someone else's state.

/// A handle: slot index in the low 32 bits, generation in the high 32 (never 0 as a whole).
pub type Handle = u64;

/// The slot index of a handle (the same for every generation that used the slot).
#[inline(always)]
pub fn index(h: Handle) -> usize {
    (h & 0xffff_ffff) as usize
}

struct Slot<T> {
    gen: u32,
    val: Option<T>,
}

pub struct Slab<T> {
    slots: Vec<Slot<T>>,
    free: Vec<u32>,
    len: usize,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab { slots: Vec::new(), free: Vec::new(), len: 0 }
    }
}

impl<T> Slab<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn insert(&mut self, val: T) -> Handle {
        self.len += 1;
        if let Some(i) = self.free.pop() {
            let s = &mut self.slots[i as usize];
            s.gen = s.gen.wrapping_add(1).max(1);
            s.val = Some(val);
            return ((s.gen as u64) << 32) | i as u64;
        }
        let i = self.slots.len() as u32;
        self.slots.push(Slot { gen: 1, val: Some(val) });
        (1u64 << 32) | i as u64
    }

    fn slot(&self, h: Handle) -> Option<&Slot<T>> {
        let s = self.slots.get(index(h))?;
        (s.gen == (h >> 32) as u32).then_some(s)
    }

    pub fn get(&self, h: Handle) -> Option<&T> {
        self.slot(h)?.val.as_ref()
    }

    pub fn get_mut(&mut self, h: Handle) -> Option<&mut T> {
        let s = self.slots.get_mut(index(h))?;
        if s.gen != (h >> 32) as u32 {
            return None;
        }
        s.val.as_mut()
    }

    pub fn remove(&mut self, h: Handle) -> Option<T> {
        let i = index(h);
        let s = self.slots.get_mut(i)?;
        if s.gen != (h >> 32) as u32 {
            return None;
        }
        let v = s.val.take()?;
        self.free.push(i as u32);
        self.len -= 1;
        Some(v)
    }

    /// Every live handle (in slot order).
    pub fn handles(&self) -> impl Iterator<Item = Handle> + '_ {
        self.slots.iter().enumerate().filter(|(_, s)| s.val.is_some()).map(|(i, s)| ((s.gen as u64) << 32) | i as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_handles_do_not_resolve() {
        let mut s = Slab::default();
        let a = s.insert(1);
        assert_eq!(s.remove(a), Some(1));
        let b = s.insert(2);
        assert_ne!(a, b);
        assert_eq!(s.get(a), None);
        assert_eq!(s.get(b), Some(&2));
        assert_eq!(s.len(), 1);
    }
}
