//! Loosely typed input, read one field at a time against its [`FieldSpec`].
//!
//! Input arrives as [`Field`]s (the `wasm` module converts a JavaScript object into them), so
//! every mistake can be reported by field with what is allowed: a wrong type, a fraction, a value
//! out of range, a misspelt choice. A message names the field by its config name (a script's
//! words: `workers must be …`) or by its on-screen label (the page's: `Workers must be …`).

use super::schema::{FieldSpec, Kind, Value};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// One loosely typed input value.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Field {
    /// `null` or `undefined`: treated as absent.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    Text(String),
    /// A list.
    List(Vec<Field>),
    /// An object: named fields, such as `{ width: 640, height: 480 }`.
    Object(BTreeMap<String, Field>),
}

impl fmt::Display for Field {
    /// Shows the value for an error message, shortened so hostile input stays short and inert.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Null => f.write_str("nothing"),
            Field::Bool(b) => write!(f, "{b}"),
            Field::Number(n) => write!(f, "{n}"),
            Field::Text(s) if s.chars().count() > 24 => {
                let head: String = s.chars().take(24).collect();
                write!(f, "{:?}…", head)
            }
            Field::Text(s) => write!(f, "{s:?}"),
            Field::List(_) => f.write_str("a list"),
            Field::Object(_) => f.write_str("an object"),
        }
    }
}

impl From<Value> for Field {
    fn from(value: Value) -> Self {
        match value {
            Value::Whole(n) => Field::Number(n.into()),
            Value::Fraction(x) => Field::Number(x),
            Value::Flag(b) => Field::Bool(b),
            Value::Text(s) => Field::Text(s.to_string()),
            Value::Wholes(list) => {
                Field::List(list.iter().map(|&n| Field::Number(n.into())).collect())
            }
            Value::Records(records) => Field::List(
                records
                    .iter()
                    .map(|record| {
                        // Inserted one by one: the map's insert is the one reading input uses.
                        let mut fields = BTreeMap::new();
                        for &(name, value) in *record {
                            fields.insert(name.to_string(), value.into());
                        }
                        Field::Object(fields)
                    })
                    .collect(),
            ),
        }
    }
}

/// A configuration mistake, worded for the reader, and the field it is about (if one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The config name of the field at fault; `None` when the mistake is not one field's.
    pub field: Option<String>,
    message: String,
}

impl ConfigError {
    /// A mistake about `field` (or about no one field).
    pub fn new(field: Option<&str>, message: impl Into<String>) -> Self {
        ConfigError {
            field: field.map(str::to_string),
            message: message.into(),
        }
    }
}

impl ConfigError {
    /// The same mistake, as one of the field `field` (a field of one of its records).
    fn about(mut self, field: &str) -> Self {
        self.field = Some(field.to_string());
        self
    }
}

/// `word` with its first letter in capitals (the words of the tables are ASCII: no Unicode
/// case tables for this).
fn capitalised(word: &str) -> String {
    let mut word = word.to_string();
    if let Some(first) = word.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    word
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// One problem with a config, as `checkFields` lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The config name of the field at fault (or the unknown name given).
    pub field: String,
    /// Its label on screen (the name itself for a name that is not a field).
    pub label: String,
    /// What is wrong, naming the field by its label.
    pub message: String,
}

/// How messages name a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Naming {
    /// By its config name, as a script writes it: `cancelAfterMs`.
    Names,
    /// By its label, as the page shows it: `Cancel after (ms)`.
    Labels,
}

/// Input read one field at a time, with a preset (if any) beneath it, against a table of fields.
pub(crate) struct Input<'a> {
    given: &'a BTreeMap<String, Field>,
    preset: BTreeMap<&'static str, Field>,
    /// The defaults of the table's lists of records, read when neither input nor preset has
    /// them (a record is read as an input of its own, borrowing from here).
    records: Vec<(&'static str, Field)>,
    table: &'static [FieldSpec],
    naming: Naming,
    /// For one record of a list of records: how messages call the record (`stages[0]` as a
    /// script writes it, `Stage 1` as the page shows it), before the field.
    within: Option<String>,
}

/// The number in `field` if it is a whole number in `min..=max`.
fn whole_in(field: &Field, min: u32, max: u32) -> Option<u32> {
    match field {
        Field::Number(n) if n.fract() == 0.0 && *n >= min.into() && *n <= max.into() => {
            Some(*n as u32)
        }
        _ => None,
    }
}

/// `"a", "b", "c"`.
pub(crate) fn quoted<'s>(options: impl IntoIterator<Item = &'s str>) -> String {
    let quoted: Vec<String> = options.into_iter().map(|o| format!("{o:?}")).collect();
    quoted.join(", ")
}

impl<'a> Input<'a> {
    /// `given`, with `preset` beneath it, read against `table`; messages name fields as `naming`.
    pub(crate) fn new(
        given: &'a BTreeMap<String, Field>,
        preset: &[(&'static str, Value)],
        table: &'static [FieldSpec],
        naming: Naming,
    ) -> Self {
        let records = table
            .iter()
            .filter_map(|spec| match (spec.kind, spec.default) {
                (Kind::Records { .. }, Some(default)) => Some((spec.name, default.into())),
                _ => None,
            });
        Input {
            given,
            preset: preset.iter().map(|&(k, v)| (k, v.into())).collect(),
            records: records.collect(),
            table,
            naming,
            within: None,
        }
    }

    /// The value of `name`: the given one, else the preset's (else, for a list of records, its
    /// default); `None` when none is set.
    pub(crate) fn get(&self, name: &str) -> Option<&Field> {
        match self.given.get(name) {
            Some(Field::Null) | None => self.preset.get(name).or_else(|| {
                let default = self.records.iter().find(|(field, _)| *field == name);
                default.map(|(_, value)| value)
            }),
            given => given,
        }
    }

    /// How this input's messages name fields.
    pub(crate) fn naming(&self) -> Naming {
        self.naming
    }

    /// The spec of `name`, which the table must have.
    pub(crate) fn spec(&self, name: &str) -> &'static FieldSpec {
        self.table
            .iter()
            .find(|spec| spec.name == name)
            .unwrap_or_else(|| panic!("{name} is not in the table"))
    }

    /// How messages call the field `name` (with `suffix`, say `[2]`, after a config name), after
    /// the record it is in, if it is in one.
    fn called(&self, name: &str, suffix: Option<usize>) -> String {
        let called = self.called_alone(name, suffix);
        match (&self.within, self.naming) {
            (None, _) => called,
            (Some(record), Naming::Names) => format!("{record}.{called}"),
            (Some(record), Naming::Labels) => format!("{record}: {called}"),
        }
    }

    fn called_alone(&self, name: &str, suffix: Option<usize>) -> String {
        let label = self.table.iter().find(|s| s.name == name).map(|s| s.label);
        match (self.naming, label, suffix) {
            (Naming::Labels, Some(label), Some(i)) => format!("{label} (entry {})", i + 1),
            (Naming::Labels, Some(label), None) => label.to_string(),
            (_, _, Some(i)) => format!("{name}[{i}]"),
            (_, _, None) => name.to_string(),
        }
    }

    /// "`field` must be `wanted`, but got `got`", the field named as this input names fields.
    pub(crate) fn error(&self, name: &str, wanted: &str, got: &Field) -> ConfigError {
        self.error_at(name, None, wanted, got)
    }

    /// Like [`Input::error`], about entry `index` of a list.
    pub(crate) fn error_at(
        &self,
        name: &str,
        index: Option<usize>,
        wanted: &str,
        got: &Field,
    ) -> ConfigError {
        let called = self.called(name, index);
        ConfigError::new(
            Some(name),
            format!("{called} must be {wanted}, but got {got}"),
        )
    }

    /// The given value of `name` (or the preset's), or nothing: for the messages of rules that
    /// span fields.
    pub(crate) fn shown(&self, name: &str) -> &Field {
        self.get(name).unwrap_or(&Field::Null)
    }

    /// A whole-number field; absent, its default.
    pub(crate) fn whole(&self, name: &str) -> Result<u32, ConfigError> {
        let spec = self.spec(name);
        let Some(Value::Whole(default)) = spec.default else {
            panic!("{name} has no whole default");
        };
        self.whole_or(name, default)
    }

    /// A whole-number field; absent, `default` (a default that depends on other fields).
    pub(crate) fn whole_or(&self, name: &str, default: u32) -> Result<u32, ConfigError> {
        Ok(self.optional_whole(name)?.unwrap_or(default))
    }

    /// A whole-number field, or absent.
    pub(crate) fn optional_whole(&self, name: &str) -> Result<Option<u32>, ConfigError> {
        let spec = self.spec(name);
        let Kind::Whole { min, max, .. } = spec.kind else {
            panic!("{name} is not a whole number");
        };
        let Some(value) = self.get(name) else {
            return Ok(None);
        };
        // A script leaves an optional field out; on the page it is an empty input.
        let or_absent = match self.naming {
            Naming::Names if spec.optional() => ", or absent",
            _ => "",
        };
        whole_in(value, min, max).map(Some).ok_or_else(|| {
            let wanted = format!("a whole number from {min} to {max}{or_absent}");
            self.error(name, &wanted, value)
        })
    }

    /// A number field (fractions allowed); absent, its default.
    pub(crate) fn number(&self, name: &str) -> Result<f64, ConfigError> {
        let spec = self.spec(name);
        let (Kind::Fraction { min, max, .. }, Some(Value::Fraction(default))) =
            (spec.kind, spec.default)
        else {
            panic!("{name} is not a number with a default");
        };
        match self.get(name) {
            None => Ok(default),
            Some(Field::Number(x)) if (min..=max).contains(x) => Ok(*x),
            Some(value) => Err(self.error(name, &format!("a number from {min} to {max}"), value)),
        }
    }

    /// A true-or-false field; absent, its default.
    pub(crate) fn flag(&self, name: &str) -> Result<bool, ConfigError> {
        let Some(Value::Flag(default)) = self.spec(name).default else {
            panic!("{name} is not a flag");
        };
        match self.get(name) {
            None => Ok(default),
            Some(Field::Bool(b)) => Ok(*b),
            Some(value) => Err(self.error(name, "true or false", value)),
        }
    }

    /// A choice field, as `options`: one per choice of the spec, in its order. Absent, the
    /// default.
    pub(crate) fn choice<T: Copy>(&self, name: &str, options: &[T]) -> Result<T, ConfigError> {
        let spec = self.spec(name);
        let (Kind::Choice(choices), Some(Value::Text(default))) = (spec.kind, spec.default) else {
            panic!("{name} is not a choice with a default");
        };
        debug_assert_eq!(
            choices.len(),
            options.len(),
            "{name}: one option per choice"
        );
        let pick = |text: &str| choices.iter().position(|c| c.value == text);
        let index = match self.get(name) {
            None => pick(default),
            Some(Field::Text(text)) => pick(text),
            Some(_) => None,
        };
        index.map(|i| options[i]).ok_or_else(|| {
            let wanted = format!("one of {}", quoted(choices.iter().map(|c| c.value)));
            self.error(name, &wanted, self.shown(name))
        })
    }

    /// A list of whole numbers (a single number counts as a list of one), each at most `limit`
    /// when it is given (a bound set by another field), else at most the spec's maximum.
    pub(crate) fn wholes(&self, name: &str, limit: Option<u32>) -> Result<Vec<u32>, ConfigError> {
        let Kind::Wholes {
            min,
            max,
            most,
            item,
        } = self.spec(name).kind
        else {
            panic!("{name} is not a list of whole numbers");
        };
        let max = limit.unwrap_or(max);
        let items = match self.get(name) {
            None => return Ok(Vec::new()),
            Some(Field::List(items)) if items.len() <= most => items.as_slice(),
            Some(single @ Field::Number(_)) => std::slice::from_ref(single),
            Some(value) => {
                let wanted = format!("a list of at most {most} {item}s from {min} to {max}");
                return Err(self.error(name, &wanted, value));
            }
        };
        items
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                whole_in(entry, min, max).ok_or_else(|| {
                    let wanted = format!("a {item} from {min} to {max}");
                    self.error_at(name, Some(i), &wanted, entry)
                })
            })
            .collect()
    }

    /// A list of records: each one's input, read against the spec's table of fields, its messages
    /// naming the record (`stages[0].workers`, or `Stage 1: Workers`). A record that is not an
    /// object, or names a field the table does not have, is an error; so is a list too short or
    /// too long.
    pub(crate) fn records(&self, name: &str) -> Result<Vec<Input<'_>>, ConfigError> {
        let Kind::Records {
            least,
            most,
            item,
            fields,
        } = self.spec(name).kind
        else {
            panic!("{name} is not a list of records");
        };
        let wanted = format!("a list of {least} to {most} {item}s");
        let items = match self.get(name) {
            None => return Ok(Vec::new()),
            Some(Field::List(items)) if (least..=most).contains(&items.len()) => items,
            Some(Field::List(items)) => {
                let called = self.called(name, None);
                let got = items.len();
                let message = format!("{called} must be {wanted}, but got a list of {got}");
                return Err(ConfigError::new(Some(name), message));
            }
            Some(value) => return Err(self.error(name, &wanted, value)),
        };
        let mut records = Vec::with_capacity(items.len());
        for (i, entry) in items.iter().enumerate() {
            let Field::Object(given) = entry else {
                let wanted = format!("an object with the fields of a {item}");
                return Err(self.error_at(name, Some(i), &wanted, entry));
            };
            let called = match self.naming {
                Naming::Names => format!("{name}[{i}]"),
                Naming::Labels => format!("{} {}", capitalised(item), i + 1),
            };
            let record = Input {
                given,
                preset: BTreeMap::new(),
                records: Vec::new(),
                table: fields,
                naming: self.naming,
                within: Some(called),
            };
            if let Some(unknown) = record.unknown(&[]).next() {
                let known: Vec<&str> = fields.iter().map(|s| s.name).collect();
                let at = self.called_alone(name, Some(i));
                let message = format!(
                    "{at} has {}, which is not a field of a {item}; its fields are {}",
                    Field::Text(unknown.clone()),
                    known.join(", ")
                );
                return Err(ConfigError::new(Some(name), message));
            }
            for spec in fields {
                record.check(spec).map_err(|e| e.about(name))?;
            }
            records.push(record);
        }
        Ok(records)
    }

    /// Checks `spec`'s field on its own, whatever its kind (the rules that span fields are the
    /// reader's of the whole config). Sizes are checked by the example that reads them.
    pub(crate) fn check(&self, spec: &FieldSpec) -> Result<(), ConfigError> {
        let name = spec.name;
        match spec.kind {
            Kind::Whole { .. } => self.optional_whole(name).map(drop),
            Kind::Fraction { .. } => self.number(name).map(drop),
            Kind::Flag => self.flag(name).map(drop),
            Kind::Choice(choices) => {
                let indices: Vec<usize> = (0..choices.len()).collect();
                self.choice(name, &indices).map(drop)
            }
            Kind::Wholes { .. } => self.wholes(name, None).map(drop),
            Kind::Sizes { .. } => Ok(()),
            Kind::Records { .. } => self.records(name).map(drop),
        }
    }

    /// Every name given that is not in the table (nor in `also`, fields read apart from it).
    pub(crate) fn unknown<'n>(&'n self, also: &'n [&str]) -> impl Iterator<Item = &'n String> {
        self.given.keys().filter(move |name| {
            !also.contains(&name.as_str()) && self.table.iter().all(|s| s.name != name.as_str())
        })
    }

    /// The problems of every field taken alone, as `checkFields` lists them: a name that is not a
    /// field, and each field's own mistake.
    pub(crate) fn problems(&self, also: &[&str]) -> Vec<Problem> {
        let unknown = self.unknown(also).map(|name| Problem {
            field: name.clone(),
            label: name.clone(),
            message: format!("{} is not a setting", Field::Text(name.clone())),
        });
        let wrong = self
            .table
            .iter()
            .filter_map(|spec| self.check(spec).err().map(|e| self.problem(e)));
        unknown.chain(wrong).collect()
    }

    /// `error` as a listed problem.
    pub(crate) fn problem(&self, error: ConfigError) -> Problem {
        let field = error.field.clone().unwrap_or_default();
        let label = self
            .table
            .iter()
            .find(|s| s.name == field)
            .map_or_else(|| field.clone(), |s| s.label.to_string());
        Problem {
            field,
            label,
            message: error.message,
        }
    }
}
