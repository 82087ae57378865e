//! A growable array in fixed-size pages. A `Vec` doubles its buffer as it grows and copies
//! into the new one, so a capture of millions of segments briefly needs three times its size
//! (and wasm memory never shrinks back); pages never move, so memory is what is stored plus at
//! most one partly filled page (the first grows as a `Vec` does, so a small array stays small).

/// Elements per page: 16 Ki packed segments are about 1.7 MB.
const PAGE_BITS: u32 = 14;
const PAGE_LEN: usize = 1 << PAGE_BITS;

#[derive(Debug, Clone)]
pub struct PagedVec<T> {
    pages: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for PagedVec<T> {
    fn default() -> Self {
        PagedVec { pages: Vec::new(), len: 0 }
    }
}

impl<T> PagedVec<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn push(&mut self, value: T) {
        if self.len % PAGE_LEN == 0 {
            // The first page grows as a `Vec` does (a connection of ten segments does not take
            // a page of 16 Ki); the next ones are whole at once.
            self.pages.push(if self.pages.is_empty() { Vec::new() } else { Vec::with_capacity(PAGE_LEN) });
        }
        self.pages.last_mut().expect("a page was just added").push(value);
        self.len += 1;
    }

    pub fn get(&self, index: usize) -> Option<&T> {
        self.pages.get(index >> PAGE_BITS)?.get(index & (PAGE_LEN - 1))
    }

    /// The index of the first element for which `before` is false, the elements for which
    /// it holds coming first (as [`slice::partition_point`]): a bisection.
    pub fn partition_point(&self, before: impl Fn(&T) -> bool) -> usize {
        let (mut lo, mut hi) = (0usize, self.len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if before(&self[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    pub fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        self.pages.get_mut(index >> PAGE_BITS)?.get_mut(index & (PAGE_LEN - 1))
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.pages.iter().flatten()
    }

    /// Bytes reserved (whole pages).
    pub fn reserved_bytes(&self) -> usize {
        self.pages.iter().map(Vec::capacity).sum::<usize>() * std::mem::size_of::<T>() + self.pages.capacity() * std::mem::size_of::<Vec<T>>()
    }
}

impl<T> std::ops::Index<usize> for PagedVec<T> {
    type Output = T;
    fn index(&self, index: usize) -> &T {
        self.get(index).expect("index within the paged vector")
    }
}

impl<T> std::ops::IndexMut<usize> for PagedVec<T> {
    fn index_mut(&mut self, index: usize) -> &mut T {
        self.get_mut(index).expect("index within the paged vector")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_across_pages() {
        let mut v = PagedVec::default();
        for i in 0..(3 * PAGE_LEN + 5) {
            v.push(i as u32);
        }
        assert_eq!(v.len(), 3 * PAGE_LEN + 5);
        assert_eq!(v.get(0), Some(&0));
        assert_eq!(v.get(PAGE_LEN), Some(&(PAGE_LEN as u32)));
        assert_eq!(v.get(3 * PAGE_LEN + 4), Some(&(3 * PAGE_LEN as u32 + 4)));
        assert_eq!(v.get(3 * PAGE_LEN + 5), None);
        assert_eq!(v.partition_point(|&x| x < PAGE_LEN as u32 + 7), PAGE_LEN + 7);
        assert_eq!(v.partition_point(|_| true), v.len());
        assert_eq!(v.pages.len(), 4);
        assert_eq!(v.iter().count(), v.len());
        assert_eq!(v.iter().nth(PAGE_LEN + 1), Some(&(PAGE_LEN as u32 + 1)));
        v[PAGE_LEN] = 7;
        assert_eq!(v[PAGE_LEN], 7);
    }
}
