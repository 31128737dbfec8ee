//! Config validation: every mistake is named with the field and its range.
#![cfg(not(target_arch = "wasm32"))]

use poolplay::config::{Field, RunConfig};
use std::collections::BTreeMap;

fn parse(pairs: &[(&str, Field)]) -> Result<RunConfig, String> {
    let fields: BTreeMap<String, Field> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    RunConfig::from_fields(&fields).map_err(|e| e.to_string())
}

#[test]
fn absent_fields_take_their_defaults() {
    let config = parse(&[("workers", Field::Number(5.0)), ("jobs", Field::Null)]).unwrap();
    assert_eq!(
        config,
        RunConfig {
            workers: 5,
            ..RunConfig::default()
        }
    );
    assert_eq!(RunConfig::default().jobs, 12);
}

#[test]
fn out_of_range_values_name_the_field_and_the_range() {
    assert_eq!(
        parse(&[("workers", Field::Number(0.0))]).unwrap_err(),
        "workers must be a whole number from 1 to 16, but got 0"
    );
    assert_eq!(
        parse(&[("workers", Field::Number(10_000.0))]).unwrap_err(),
        "workers must be a whole number from 1 to 16, but got 10000"
    );
    assert_eq!(
        parse(&[("jobsBuffer", Field::Number(-1.0))]).unwrap_err(),
        "jobsBuffer must be a whole number from 0 to 100, but got -1"
    );
}

#[test]
fn wrong_types_and_fractions_are_rejected() {
    assert_eq!(
        parse(&[("workMs", Field::Text("fast".into()))]).unwrap_err(),
        "workMs must be a whole number from 0 to 2000, but got \"fast\""
    );
    assert!(
        parse(&[("jobs", Field::Number(2.5))])
            .unwrap_err()
            .starts_with("jobs must be a whole number")
    );
    assert!(
        parse(&[("jobs", Field::Number(f64::NAN))])
            .unwrap_err()
            .ends_with("got NaN")
    );
    assert!(
        parse(&[("resultsBuffer", Field::Bool(true))])
            .unwrap_err()
            .ends_with("got true")
    );
}

#[test]
fn unknown_fields_are_reported_with_the_known_ones() {
    let error = parse(&[("wrokers", Field::Number(2.0))]).unwrap_err();
    assert_eq!(
        error,
        "unknown config field \"wrokers\"; the fields are workers, jobs, jobsBuffer, resultsBuffer, workMs"
    );
}

#[test]
fn hostile_text_is_quoted_and_shortened_in_messages() {
    let error = parse(&[(
        "workers",
        Field::Text("<script>alert(1)</script><img src=x onerror=alert(2)>".into()),
    )])
    .unwrap_err();
    assert!(
        error.ends_with("got \"<script>alert(1)</script\"…"),
        "{error}"
    );
}
