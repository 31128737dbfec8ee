//! What a config field is: its name, its words for the reader, its kind and range, its default.
//!
//! A [`FieldSpec`] is the single statement of a field's rules. Validation (`Input`)
//! reads ranges and defaults from it, messages name the field by it, and the wasm boundary
//! exports it (`fieldSchema()`), so the page builds its knobs from the same table and restates
//! nothing. The tables themselves are in [`super::fields`].

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

/// A value written in a table: a default, or a preset's setting.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// A whole number.
    Whole(u32),
    /// A number that may have a fraction.
    Fraction(f64),
    /// True or false.
    Flag(bool),
    /// One of a choice field's values.
    Text(&'static str),
    /// A list of whole numbers.
    Wholes(&'static [u32]),
    /// A list of records, each its fields' values by name (a pipeline's stages).
    Records(&'static [&'static [(&'static str, Value)]]),
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Value::Whole(n) => serializer.serialize_u32(n),
            Value::Fraction(x) => serializer.serialize_f64(x),
            Value::Flag(b) => serializer.serialize_bool(b),
            Value::Text(s) => serializer.serialize_str(s),
            Value::Wholes(list) => list.serialize(serializer),
            Value::Records(records) => serializer.collect_seq(records.iter().map(|&r| Record(r))),
        }
    }
}

/// A record of a [`Value::Records`], serialized as an object.
struct Record(&'static [(&'static str, Value)]);

impl Serialize for Record {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, value)| (name, value)))
    }
}

/// One option of a choice field: the value a config carries and the reader's words for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// The value, as a config writes it.
    pub value: &'static str,
    /// What the page shows for it.
    pub label: &'static str,
}

/// What values a field takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A whole number in `min..=max`; `step` is the page's increment.
    Whole {
        /// The least value.
        min: u32,
        /// The greatest value.
        max: u32,
        /// The page's increment.
        step: u32,
    },
    /// A number in `min..=max`, fractions allowed.
    Fraction {
        /// The least value.
        min: f64,
        /// The greatest value.
        max: f64,
        /// The page's increment.
        step: f64,
    },
    /// True or false.
    Flag,
    /// One of the listed values.
    Choice(&'static [Choice]),
    /// A list of at most `most` whole numbers, each in `min..=max` (a single number counts as a
    /// list of one); `item` names an entry in messages ("job number").
    Wholes {
        /// The least entry.
        min: u32,
        /// The greatest entry.
        max: u32,
        /// The most entries.
        most: usize,
        /// What an entry is, in a message.
        item: &'static str,
    },
    /// Image sizes (`"1920x1080"`, `[w, h]` or `{ width, height }`), or `"samples"`: at most
    /// `most` of them, each side from 1 to `max`.
    Sizes {
        /// The longest side.
        max: u32,
        /// The most sizes.
        most: usize,
    },
    /// A list of `least` to `most` records (objects), each with the fields of `fields`; `item`
    /// names a record in messages ("stage").
    Records {
        /// The fewest records.
        least: usize,
        /// The most records.
        most: usize,
        /// What a record is, in a message.
        item: &'static str,
        /// Each record's fields.
        fields: &'static [FieldSpec],
    },
}

impl Kind {
    /// The name the export gives the kind.
    fn name(&self) -> &'static str {
        match self {
            Kind::Whole { .. } => "whole",
            Kind::Fraction { .. } => "fraction",
            Kind::Flag => "flag",
            Kind::Choice(_) => "choice",
            Kind::Wholes { .. } => "wholes",
            Kind::Sizes { .. } => "sizes",
            Kind::Records { .. } => "records",
        }
    }
}

/// Which group of knobs a field belongs to on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Group {
    /// The five knobs always in view.
    Basic,
    /// The scenarios' knobs: costs, closing, collecting, mistakes, failures, order, cancelling.
    Scenario,
    /// The downstream service's limits.
    Service,
    /// Retries and backoff.
    Retry,
    /// Who takes the jobs, and an autoscaling pool's rules.
    Scaling,
    /// The producer's pacing.
    Arrivals,
    /// The image example's own fields.
    Image,
    /// The pipeline example's stages.
    Pipeline,
}

/// One config field, stated once.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FieldSpec {
    /// The field's name in a config object (JavaScript camelCase).
    pub name: &'static str,
    /// Its name on screen.
    pub label: &'static str,
    /// One sentence on what it does.
    pub help: &'static str,
    /// Its group of knobs.
    pub group: Group,
    /// The values it takes.
    pub kind: Kind,
    /// Its value when absent; `None` for an optional field that is then simply absent.
    pub default: Option<Value>,
    /// What the page shows in an empty input ("never", "no service").
    pub placeholder: Option<&'static str>,
}

impl FieldSpec {
    /// Whether the field may be absent with no default (it is then off, or "never").
    pub fn optional(&self) -> bool {
        self.default.is_none()
    }
}

/// The export's shape: every key present, `null` where a key does not apply to the kind.
impl Serialize for FieldSpec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (min, max, step, most) = match self.kind {
            Kind::Whole { min, max, step } => (
                Some(f64::from(min)),
                Some(f64::from(max)),
                Some(f64::from(step)),
                None,
            ),
            Kind::Fraction { min, max, step } => (Some(min), Some(max), Some(step), None),
            Kind::Wholes { min, max, most, .. } => (
                Some(f64::from(min)),
                Some(f64::from(max)),
                Some(1.0),
                Some(most),
            ),
            Kind::Sizes { max, most } => (Some(1.0), Some(f64::from(max)), Some(1.0), Some(most)),
            Kind::Records { least, most, .. } => {
                (Some(least as f64), Some(most as f64), Some(1.0), Some(most))
            }
            Kind::Flag | Kind::Choice(_) => (None, None, None, None),
        };
        let choices = match self.kind {
            Kind::Choice(choices) => Some(choices),
            _ => None,
        };
        let fields = match self.kind {
            Kind::Records { fields, .. } => Some(fields),
            _ => None,
        };
        let mut s = serializer.serialize_struct("FieldSpec", 14)?;
        s.serialize_field("name", self.name)?;
        s.serialize_field("label", self.label)?;
        s.serialize_field("help", self.help)?;
        s.serialize_field("group", &self.group)?;
        s.serialize_field("kind", self.kind.name())?;
        s.serialize_field("min", &min)?;
        s.serialize_field("max", &max)?;
        s.serialize_field("step", &step)?;
        s.serialize_field("most", &most)?;
        s.serialize_field("default", &self.default)?;
        s.serialize_field("optional", &self.optional())?;
        s.serialize_field("placeholder", &self.placeholder)?;
        s.serialize_field("choices", &choices)?;
        s.serialize_field("fields", &fields)?;
        s.end()
    }
}
