//! Config validation: every mistake is named with the field and its range.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use poolplay::config::{Field, RunConfig};
use poolplay::pool::Collect;
use std::collections::BTreeMap;
use support::parse;

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
fn an_object_where_a_value_belongs_is_named_as_an_object() {
    let object = Field::Object(BTreeMap::from([("n".to_string(), Field::Number(2.0))]));
    assert_eq!(
        parse(&[("workers", object.clone())]).unwrap_err(),
        "workers must be a whole number from 1 to 16, but got an object"
    );
    assert_eq!(
        parse(&[("failJobs", Field::List(vec![object]))]).unwrap_err(),
        "failJobs[0] must be a job number from 1 to 12, but got an object"
    );
}

#[test]
fn unknown_fields_are_reported_with_the_known_ones() {
    let error = parse(&[("wrokers", Field::Number(2.0))]).unwrap_err();
    assert!(
        error.starts_with(
            "unknown config field \"wrokers\"; the fields are scenario, workers, jobs, jobsBuffer, \
             resultsBuffer, workMs, jobCostMs,"
        ),
        "{error}"
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

#[test]
fn a_scenario_fills_in_the_fields_left_out() {
    let config = parse(&[
        ("scenario", Field::Text("deadlock-after-wait".into())),
        ("resultsBuffer", Field::Number(10.0)),
    ])
    .unwrap();
    assert_eq!(config.scenario, "deadlock-after-wait");
    assert_eq!(config.collect, Collect::AfterWait, "from the preset");
    assert_eq!(config.jobs, 10, "from the preset");
    assert_eq!(config.results_buffer, 10, "given beats preset");
    assert_eq!(config.workers, 3, "neither: the default");
}

#[test]
fn every_scenario_preset_is_valid_and_named() {
    let scenarios = RunConfig::scenarios();
    assert_eq!(scenarios.len(), 14);
    assert_eq!(scenarios[0], RunConfig::default());
    let circular = scenarios.iter().find(|c| c.scenario == "deadlock-circular");
    assert_eq!(circular.unwrap().collect, Collect::AfterSend);
}

#[test]
fn an_unknown_scenario_or_choice_lists_the_allowed_ones() {
    let error = parse(&[("scenario", Field::Text("chaos".into()))]).unwrap_err();
    assert!(
        error.starts_with("scenario must be one of \"basic\", \"ordering\","),
        "{error}"
    );
    assert!(error.ends_with("but got \"chaos\""), "{error}");
    assert_eq!(
        parse(&[("collect", Field::Number(1.0))]).unwrap_err(),
        "collect must be one of \"concurrent\", \"after-wait\", \"after-send\", but got 1"
    );
    assert_eq!(
        parse(&[("shutdown", Field::Text("now".into()))]).unwrap_err(),
        "shutdown must be one of \"graceful\", \"drain\", \"force\", but got \"now\""
    );
}

#[test]
fn job_costs_take_a_number_or_a_list_and_name_a_bad_entry() {
    let single = parse(&[("jobCostMs", Field::Number(30.0))]).unwrap();
    assert_eq!(single.job_cost_ms, vec![30]);
    let list = Field::List(vec![Field::Number(10.0), Field::Number(-5.0)]);
    assert_eq!(
        parse(&[("jobCostMs", list)]).unwrap_err(),
        "jobCostMs[1] must be a whole number from 0 to 2000, but got -5"
    );
    let long = Field::List(vec![Field::Number(1.0); 101]);
    assert!(
        parse(&[("jobCostMs", long)])
            .unwrap_err()
            .starts_with("jobCostMs must be a list of at most 100 whole numbers from 0 to 2000")
    );
}

#[test]
fn failing_jobs_must_be_jobs_of_the_run() {
    let error = parse(&[
        ("jobs", Field::Number(5.0)),
        ("failJobs", Field::List(vec![Field::Number(6.0)])),
    ])
    .unwrap_err();
    assert_eq!(
        error,
        "failJobs[0] must be a job number from 1 to 5, but got 6"
    );
    assert_eq!(
        parse(&[("failRate", Field::Number(1.5))]).unwrap_err(),
        "failRate must be a number from 0 to 1, but got 1.5"
    );
    assert_eq!(
        parse(&[("closeJobs", Field::Text("yes".into()))]).unwrap_err(),
        "closeJobs must be true or false, but got \"yes\""
    );
    assert_eq!(
        parse(&[("cancelAfterMs", Field::Number(-1.0))]).unwrap_err(),
        "cancelAfterMs must be a whole number from 0 to 60000, or absent, but got -1"
    );
}
