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
mod tests {
    use super::*;
    use crate::observe::actor::Actor;
    use crate::observe::trace::{EventKind, Op, Outcome, Reason, Resource, ShutdownMode, Stage};

    /// A field as unpacked: the number, or the text or flag it stands for.
    #[derive(Debug, PartialEq)]
    enum Value {
        Number(f64),
        Text(String),
        Flag(bool),
    }
    use Value::{Flag, Number};

    fn text(word: &str) -> Value {
        Value::Text(word.to_string())
    }

    /// The events of `packed`, each as its fields in order, keys and words looked up.
    fn unpack(packed: &PackedEvents) -> Vec<Vec<(String, Value)>> {
        let mut at = 0;
        let mut events = Vec::new();
        for &width in &packed.widths {
            let fields = (at..at + usize::from(width)).map(|i| {
                let (key, kind) = &packed.keys[usize::from(packed.fields[i])];
                let value = packed.values[i];
                let value = match kind {
                    ValueKind::Number => Number(value),
                    ValueKind::Flag => Flag(value != 0.0),
                    ValueKind::Text => text(&packed.words[value as usize]),
                };
                (key.clone(), value)
            });
            events.push(fields.collect());
            at += usize::from(width);
        }
        events
    }

    /// Fields after `kind`, as README's event table names them.
    type Fields = Vec<(&'static str, Value)>;

    /// One event of every kind (a worker's unless said), with its kind's name and the fields
    /// after `kind` that README's event table gives it, in order.
    fn every_kind() -> Vec<(Actor, EventKind, Fields)> {
        use EventKind::*;
        let worker = Actor::Worker(2);
        vec![
            (
                Actor::Producer,
                Sent {
                    channel: Resource::Jobs,
                    job: 1,
                    len: 1,
                },
                vec![
                    ("channel", text("jobs")),
                    ("job", Number(1.0)),
                    ("len", Number(1.0)),
                ],
            ),
            (
                worker,
                Received {
                    channel: Resource::Jobs,
                    job: 1,
                    len: 0,
                },
                vec![
                    ("channel", text("jobs")),
                    ("job", Number(1.0)),
                    ("len", Number(0.0)),
                ],
            ),
            (
                Actor::Consumer,
                Blocked {
                    channel: Resource::Results,
                    op: Op::Recv,
                    reason: Reason::Empty,
                },
                vec![
                    ("channel", text("results")),
                    ("op", text("recv")),
                    ("reason", text("empty")),
                ],
            ),
            (
                Actor::Closer,
                Unblocked {
                    channel: Resource::WaitGroup,
                    op: Op::Wait,
                },
                vec![("channel", text("waitGroup")), ("op", text("wait"))],
            ),
            (
                Actor::Producer,
                Closed {
                    channel: Resource::Jobs,
                },
                vec![("channel", text("jobs"))],
            ),
            (worker, Started { job: 7 }, vec![("job", Number(7.0))]),
            (
                worker,
                Finished {
                    job: 7,
                    failed: false,
                },
                vec![("job", Number(7.0))],
            ),
            (
                worker,
                Finished {
                    job: 8,
                    failed: true,
                },
                vec![("job", Number(8.0)), ("failed", Flag(true))],
            ),
            (
                Actor::Main,
                Shutdown {
                    mode: ShutdownMode::Force,
                    stage: Stage::Forced,
                },
                vec![("mode", text("force")), ("stage", text("forced"))],
            ),
            (
                Actor::Consumer,
                Delivered { job: 3, held: 2 },
                vec![("job", Number(3.0)), ("held", Number(2.0))],
            ),
            (
                worker,
                Backoff {
                    job: 9,
                    attempt: 1,
                    ms: 12.5,
                },
                vec![
                    ("job", Number(9.0)),
                    ("attempt", Number(1.0)),
                    ("ms", Number(12.5)),
                ],
            ),
            (
                worker,
                Attempt { job: 9, attempt: 2 },
                vec![("job", Number(9.0)), ("attempt", Number(2.0))],
            ),
            (
                Actor::Scaler,
                Scaled {
                    workers: 3,
                    queued: 40,
                },
                vec![("workers", Number(3.0)), ("queued", Number(40.0))],
            ),
            (
                Actor::Worker(3),
                Retired { workers: 2 },
                vec![("workers", Number(2.0))],
            ),
            (
                Actor::Main,
                Phase {
                    phase: crate::observe::trace::Phase::Unbounded,
                    workers: 32,
                },
                vec![("phase", text("unbounded")), ("workers", Number(32.0))],
            ),
            (Actor::Task(12), Exited, vec![]),
            (
                Actor::Main,
                Ended {
                    outcome: Outcome::Deadlock,
                },
                vec![("outcome", text("deadlock"))],
            ),
        ]
    }

    #[test]
    fn every_kind_of_event_unpacks_into_t_actor_kind_and_its_fields_in_order() {
        const NAMES: [&str; 17] = [
            "sent",
            "received",
            "blocked",
            "unblocked",
            "closed",
            "started",
            "finished",
            "finished",
            "shutdown",
            "delivered",
            "backoff",
            "attempt",
            "scaled",
            "retired",
            "phase",
            "exited",
            "ended",
        ];
        let cases = every_kind();
        assert_eq!(cases.len(), NAMES.len());
        let events: Vec<Event> = cases
            .iter()
            .enumerate()
            .map(|(i, (actor, kind, _))| Event {
                t: i as f64 * 0.25,
                actor: *actor,
                kind: kind.clone(),
            })
            .collect();
        let packed = pack(&events).expect("events pack");
        assert_eq!(packed.len(), events.len());
        for (i, ((actor, _, fields), got)) in cases.into_iter().zip(unpack(&packed)).enumerate() {
            let mut want = vec![
                ("t".to_string(), Number(i as f64 * 0.25)),
                ("actor".to_string(), text(&actor.to_string())),
                ("kind".to_string(), text(NAMES[i])),
            ];
            want.extend(
                fields
                    .into_iter()
                    .map(|(key, value)| (key.to_string(), value)),
            );
            assert_eq!(got, want, "event {i}");
        }
    }

    #[test]
    fn a_big_batch_shares_its_keys_and_words() {
        let events: Vec<Event> = (0..1000)
            .map(|job| Event {
                t: f64::from(job) / 3.0,
                actor: Actor::Worker(1 + (job % 16) as u16),
                kind: EventKind::Received {
                    channel: Resource::Jobs,
                    job,
                    len: job % 5,
                },
            })
            .collect();
        let packed = pack(&events).expect("events pack");
        assert_eq!(packed.keys.len(), 6, "t, actor, kind, channel, job, len");
        assert_eq!(
            packed.words.len(),
            16 + 2,
            "16 workers, \"received\", \"jobs\""
        );
        assert_eq!(packed.values.len(), 6 * events.len());
        let unpacked = unpack(&packed);
        assert_eq!(unpacked[999][0], ("t".to_string(), Number(999.0 / 3.0)));
        assert_eq!(unpacked[999][1], ("actor".to_string(), text("worker-8")));
        assert_eq!(unpacked[999][5], ("len".to_string(), Number(4.0)));
    }

    #[test]
    fn nothing_packs_into_an_empty_batch() {
        let packed = pack(&[]).expect("packs");
        assert!(packed.is_empty());
        assert_eq!(packed, PackedEvents::default());
    }
}
