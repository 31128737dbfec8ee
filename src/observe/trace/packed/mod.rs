//! Events packed into a few flat arrays, for a page that takes a busy run's trace.
//!
//! Handing a page 100,000 events as objects costs far more than recording them (each object is
//! built field by field across the wasm boundary, then copied into a message), so the boundary can
//! hand them over packed instead: every event's fields, in the order it serializes them, as a key
//! (an index into [`PackedEvents::keys`]) and a number. A text value (the kind, the actor, a
//! channel) is the index of the text in [`PackedEvents::words`]; a flag is 0 or 1. The arrays are
//! plain numbers, so they cross into JavaScript in one copy each and travel between threads
//! without being copied at all.
//!
//! Packing goes through the events' own `Serialize` (the one the object form uses), so an event
//! unpacked field by field, keys and words looked up, is exactly the object it would have been:
//! there is no second description of the event shapes to keep in step.

use super::Event;
use serde::Serialize;
use serde::ser::{self, Impossible};
use std::collections::BTreeMap;
use std::fmt::{self, Display, Write};

/// What a field's packed number stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ValueKind {
    /// The number itself.
    Number,
    /// The index of a text in [`PackedEvents::words`].
    Text,
    /// A boolean: 0 or 1.
    Flag,
}

/// A batch of events, packed. Event `i` has `widths[i]` fields, which follow those of the events
/// before it in `fields` and `values`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PackedEvents {
    /// How many fields each event has.
    pub widths: Vec<u8>,
    /// Each field's key: an index into `keys`.
    pub fields: Vec<u8>,
    /// Each field's value, as its key's [`ValueKind`] says.
    pub values: Vec<f64>,
    /// The keys the fields name, with what their values stand for.
    pub keys: Vec<(String, ValueKind)>,
    /// The texts that text values name.
    pub words: Vec<String>,
}

impl PackedEvents {
    /// How many events the batch holds.
    pub fn len(&self) -> usize {
        self.widths.len()
    }

    /// Whether the batch holds no event.
    pub fn is_empty(&self) -> bool {
        self.widths.is_empty()
    }
}

/// Why an event could not be packed: it serialized to something other than a flat map of
/// numbers, texts and flags (a bug in the event types, never a reader's input).
#[derive(Debug)]
pub struct PackError(String);

impl Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an event could not be packed: {}", self.0)
    }
}

impl std::error::Error for PackError {}

impl ser::Error for PackError {
    fn custom<T: Display>(message: T) -> Self {
        PackError(message.to_string())
    }
}

/// Packs `events` (each serializes as a flat map of numbers, texts and flags).
pub fn pack(events: &[Event]) -> Result<PackedEvents, PackError> {
    let mut packer = Packer::default();
    for event in events {
        let before = packer.out.fields.len();
        event.serialize(Writer {
            packer: &mut packer,
            role: Role::Event,
        })?;
        let width = u8::try_from(packer.out.fields.len() - before)
            .map_err(|_| PackError("an event has more than 255 fields".into()))?;
        packer.out.widths.push(width);
    }
    Ok(packer.out)
}

/// The batch being built, and where each word it has seen went (its keys are few: they are
/// looked up in `out.keys`).
#[derive(Default)]
struct Packer {
    out: PackedEvents,
    word_index: BTreeMap<String, u32>,
    /// The key of the field whose value comes next.
    key: String,
    /// Room to write a displayed value into before looking it up.
    scratch: String,
}

impl Packer {
    /// Adds the value of the field named by `self.key`.
    fn push(&mut self, kind: ValueKind, value: f64) -> Result<(), PackError> {
        // A batch has a dozen or so keys: looking through them beats hashing each field's.
        let known = self
            .out
            .keys
            .iter()
            .position(|(name, k)| *k == kind && *name == self.key);
        let key = match known {
            Some(key) => key as u8,
            None => {
                let key = u8::try_from(self.out.keys.len())
                    .map_err(|_| PackError("more than 256 distinct keys".into()))?;
                self.out.keys.push((self.key.clone(), kind));
                key
            }
        };
        self.out.fields.push(key);
        self.out.values.push(value);
        Ok(())
    }

    /// Adds a text value.
    fn push_text(&mut self, text: &str) -> Result<(), PackError> {
        let word = match self.word_index.get(text) {
            Some(&word) => word,
            None => {
                let word = self.out.words.len() as u32;
                self.out.words.push(text.to_owned());
                self.word_index.insert(text.to_owned(), word);
                word
            }
        };
        self.push(ValueKind::Text, f64::from(word))
    }
}

/// What the value being serialized is: a whole event, a field's key, or a field's value.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Event,
    Key,
    Value,
}

/// Serializes one event, key or value into the packer.
struct Writer<'a> {
    packer: &'a mut Packer,
    role: Role,
}

impl Writer<'_> {
    fn number(self, value: f64) -> Result<(), PackError> {
        match self.role {
            Role::Value => self.packer.push(ValueKind::Number, value),
            _ => Err(self.unsupported("a number")),
        }
    }

    fn text(self, text: &str) -> Result<(), PackError> {
        match self.role {
            Role::Key => {
                self.packer.key.clear();
                self.packer.key.push_str(text);
                Ok(())
            }
            Role::Value => self.packer.push_text(text),
            Role::Event => Err(self.unsupported("a text")),
        }
    }

    fn unsupported(&self, what: &str) -> PackError {
        let place = match self.role {
            Role::Event => "an event",
            Role::Key => "a key",
            Role::Value => "a value",
        };
        PackError(format!("{what} cannot be {place}"))
    }

    /// A writer for the next key or value of the same packer.
    fn part(&mut self, role: Role) -> Writer<'_> {
        Writer {
            packer: self.packer,
            role,
        }
    }
}

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = PackError;
    type SerializeSeq = Impossible<(), PackError>;
    type SerializeTuple = Impossible<(), PackError>;
    type SerializeTupleStruct = Impossible<(), PackError>;
    type SerializeTupleVariant = Impossible<(), PackError>;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), PackError>;

    fn serialize_bool(self, v: bool) -> Result<(), PackError> {
        match self.role {
            Role::Value => self.packer.push(ValueKind::Flag, f64::from(u8::from(v))),
            _ => Err(self.unsupported("a flag")),
        }
    }
    fn serialize_i8(self, v: i8) -> Result<(), PackError> {
        self.number(f64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), PackError> {
        self.number(f64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), PackError> {
        self.number(f64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), PackError> {
        self.number(v as f64)
    }
    fn serialize_u8(self, v: u8) -> Result<(), PackError> {
        self.number(f64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), PackError> {
        self.number(f64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), PackError> {
        self.number(f64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), PackError> {
        self.number(v as f64)
    }
    fn serialize_f32(self, v: f32) -> Result<(), PackError> {
        self.number(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), PackError> {
        self.number(v)
    }
    fn serialize_char(self, v: char) -> Result<(), PackError> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), PackError> {
        self.text(v)
    }
    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<(), PackError> {
        let mut scratch = std::mem::take(&mut self.packer.scratch);
        scratch.clear();
        write!(scratch, "{value}").map_err(|error| PackError(error.to_string()))?;
        let role = self.role;
        let packer = self.packer;
        let done = Writer { packer, role }.text(&scratch);
        packer.scratch = scratch;
        done
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), PackError> {
        Err(self.unsupported("bytes"))
    }
    fn serialize_none(self) -> Result<(), PackError> {
        Err(self.unsupported("nothing"))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), PackError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), PackError> {
        Err(self.unsupported("nothing"))
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), PackError> {
        Err(self.unsupported("nothing"))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), PackError> {
        self.text(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), PackError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), PackError> {
        Err(self.unsupported("a variant with data"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, PackError> {
        Err(self.unsupported("a list"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, PackError> {
        Err(self.unsupported("a tuple"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, PackError> {
        Err(self.unsupported("a tuple"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, PackError> {
        Err(self.unsupported("a tuple"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, PackError> {
        match self.role {
            Role::Event => Ok(self),
            _ => Err(self.unsupported("a map")),
        }
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, PackError> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, PackError> {
        Err(self.unsupported("a variant with data"))
    }
}

impl ser::SerializeMap for Writer<'_> {
    type Ok = ();
    type Error = PackError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), PackError> {
        key.serialize(self.part(Role::Key))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), PackError> {
        value.serialize(self.part(Role::Value))
    }
    fn end(self) -> Result<(), PackError> {
        Ok(())
    }
}

impl ser::SerializeStruct for Writer<'_> {
    type Ok = ();
    type Error = PackError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), PackError> {
        self.part(Role::Key).text(key)?;
        value.serialize(self.part(Role::Value))
    }
    fn end(self) -> Result<(), PackError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests;
