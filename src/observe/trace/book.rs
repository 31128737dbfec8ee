//! Log books: where a channel or WaitGroup keeps its entries, and how a drain reads them back.
//!
//! A [`LogBook`] lives in its owner's locked state, so writing costs no lock of its own, and its
//! entries are in the exact order of its owner's changes: each is stamped after the book's newest.
//! It keeps a column per writing thread (one per actor), so while a run is busy no entry's memory
//! moves between cores. A drain takes each column's entries up to a stamp, swapping buffers so the
//! lock is held for a moment only, and a [`Reader`] merges the columns back into the owner's order,
//! replaying the buffer's length as it goes.

use super::Stamp;
use super::entry::Entry;

/// Events recorded on one object: its entries, a column per writing thread, and its newest stamp.
#[derive(Debug, Default)]
pub struct LogBook {
    pub(super) last: Stamp,
    columns: Vec<Column>,
}

/// One writer's entries in a book, in stamp order. Aligned to a cache line, so writers of
/// neighbouring columns do not share one.
#[derive(Debug, Default)]
#[repr(align(64))]
struct Column {
    entries: Vec<Entry>,
}

impl LogBook {
    /// Adds an entry to `writer`'s column; its stamp becomes the book's newest.
    #[inline]
    pub(super) fn push(&mut self, writer: u32, entry: Entry) {
        self.last = entry.at;
        let column = match self.columns.get_mut(writer as usize) {
            Some(column) => column,
            None => self.add_columns(writer),
        };
        column.entries.push(entry);
    }

    /// Adds columns up to `writer`'s, the first time it writes.
    #[cold]
    fn add_columns(&mut self, writer: u32) -> &mut Column {
        let writer = writer as usize;
        self.columns.resize_with(writer + 1, Column::default);
        &mut self.columns[writer]
    }

    /// Moves the entries stamped up to `until` into `reader`, swapping buffers so the book keeps
    /// the capacity, and makes every later entry come after `until`.
    pub(super) fn take_until(&mut self, until: Stamp, reader: &mut Reader) {
        self.last = self.last.max(until);
        let taken = &mut reader.columns;
        taken.resize_with(self.columns.len(), Vec::new);
        for (column, out) in self.columns.iter_mut().zip(taken.iter_mut()) {
            out.clear();
            // Few entries (often none) come after `until`: look for them from the end, touching
            // only the column's last cache lines.
            let split = column
                .entries
                .iter()
                .rposition(|e| e.at <= until)
                .map_or(0, |i| i + 1);
            out.extend_from_slice(&column.entries[split..]);
            column.entries.truncate(split);
            std::mem::swap(&mut column.entries, out);
        }
    }
}

/// A drain's side of one book: the entries last taken from it, and the owner's buffer length as
/// of the last entry read.
#[derive(Default)]
pub(super) struct Reader {
    columns: Vec<Vec<Entry>>,
    len: u32,
}

impl Reader {
    /// How many events the taken entries stand for; cheaper than reading them in order, since
    /// only the buffer's final length matters.
    pub(super) fn count(&mut self) -> usize {
        let entries = self.columns.iter().flatten();
        let (events, growth) = entries.fold((0, 0), |(events, growth), entry| {
            (events + entry.events(), growth + entry.len_change())
        });
        self.len = self.len.wrapping_add_signed(growth);
        events
    }

    /// Hands every taken entry to `each` in the owner's order, with the buffer's length after it.
    pub(super) fn read(&mut self, mut each: impl FnMut(&Entry, u32)) {
        let mut columns: Vec<&[Entry]> = self
            .columns
            .iter()
            .filter(|c| !c.is_empty())
            .map(Vec::as_slice)
            .collect();
        let len = &mut self.len;
        let mut step = |entry: &Entry| {
            *len = len.wrapping_add_signed(entry.len_change());
            each(entry, *len);
        };
        // Merge while two or more columns have entries left; the last one needs no comparing.
        while columns.len() > 1 {
            let mut first = 0;
            for c in 1..columns.len() {
                if columns[c][0].at < columns[first][0].at {
                    first = c;
                }
            }
            step(&columns[first][0]);
            columns[first] = &columns[first][1..];
            if columns[first].is_empty() {
                columns.swap_remove(first);
            }
        }
        for entry in columns.into_iter().flatten() {
            step(entry);
        }
    }
}
