//! The run configuration a reader (or a script) gives, validated.
//!
//! Input arrives as loosely typed [`Field`]s (the `wasm` module converts a JavaScript object into
//! them), so every mistake can be reported by field name with the allowed range: a wrong type, a
//! fraction, a value out of range, a misspelt field.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The most workers a run may have; the browser's thread pool is sized for this.
pub const MAX_WORKERS: u16 = 16;

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
        }
    }
}

/// A configuration mistake, worded for the reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// A validated configuration of the doubling example.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunConfig {
    /// Workers, 1 to [`MAX_WORKERS`].
    pub workers: u16,
    /// Jobs to run, 1 to 10,000.
    pub jobs: u32,
    /// Capacity of the jobs channel, 0 (unbuffered) to 100.
    pub jobs_buffer: u32,
    /// Capacity of the results channel, 0 (unbuffered) to 100.
    pub results_buffer: u32,
    /// Simulated work per job in milliseconds, 0 to 2,000.
    pub work_ms: u32,
}

/// A whole-number field: its name as written in JavaScript, its range and its default.
struct WholeField {
    name: &'static str,
    min: u32,
    max: u32,
    default: u32,
}

const FIELDS: [WholeField; 5] = [
    WholeField {
        name: "workers",
        min: 1,
        max: MAX_WORKERS as u32,
        default: 3,
    },
    WholeField {
        name: "jobs",
        min: 1,
        max: 10_000,
        default: 12,
    },
    WholeField {
        name: "jobsBuffer",
        min: 0,
        max: 100,
        default: 4,
    },
    WholeField {
        name: "resultsBuffer",
        min: 0,
        max: 100,
        default: 4,
    },
    WholeField {
        name: "workMs",
        min: 0,
        max: 2_000,
        default: 200,
    },
];

impl WholeField {
    fn read(&self, fields: &BTreeMap<String, Field>) -> Result<u32, ConfigError> {
        let value = match fields.get(self.name) {
            None | Some(Field::Null) => return Ok(self.default),
            Some(value) => value,
        };
        match value {
            Field::Number(n)
                if n.fract() == 0.0 && *n >= self.min.into() && *n <= self.max.into() =>
            {
                Ok(*n as u32)
            }
            other => Err(ConfigError(format!(
                "{} must be a whole number from {} to {}, but got {other}",
                self.name, self.min, self.max
            ))),
        }
    }
}

impl Default for RunConfig {
    fn default() -> Self {
        Self::from_fields(&BTreeMap::new()).expect("the defaults are valid")
    }
}

impl RunConfig {
    /// Validates `fields`; absent fields take their defaults, unknown fields are an error.
    pub fn from_fields(fields: &BTreeMap<String, Field>) -> Result<Self, ConfigError> {
        if let Some(unknown) = fields
            .keys()
            .find(|k| FIELDS.iter().all(|f| f.name != k.as_str()))
        {
            let known: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
            return Err(ConfigError(format!(
                "unknown config field {}; the fields are {}",
                Field::Text(unknown.clone()),
                known.join(", ")
            )));
        }
        let [workers, jobs, jobs_buffer, results_buffer, work_ms] =
            FIELDS.each_ref().map(|field| field.read(fields));
        Ok(RunConfig {
            workers: workers? as u16,
            jobs: jobs?,
            jobs_buffer: jobs_buffer?,
            results_buffer: results_buffer?,
            work_ms: work_ms?,
        })
    }
}
