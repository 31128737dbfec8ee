//! Config validation: every mistake is named with the field and its range.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use poolplay::config::{DoublingConfig, Field};
use poolplay::pool::Collect;
use std::collections::BTreeMap;
use support::parse;

#[test]
fn absent_fields_take_their_defaults() {
    let config = parse(&[("workers", Field::Number(5.0)), ("jobs", Field::Null)]).unwrap();
    assert_eq!(
        config,
        DoublingConfig {
            workers: 5,
            ..DoublingConfig::default()
        }
    );
    assert_eq!(DoublingConfig::default().jobs, 12);
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
    let scenarios = DoublingConfig::scenarios();
    assert_eq!(scenarios.len(), 14);
    assert_eq!(scenarios[0], DoublingConfig::default());
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

fn fields(pairs: &[(&str, Field)]) -> BTreeMap<String, Field> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn messages(pairs: &[(&str, Field)]) -> Vec<String> {
    DoublingConfig::problems(&fields(pairs))
        .into_iter()
        .map(|p| p.message)
        .collect()
}

#[test]
fn every_problem_is_listed_by_its_label() {
    let problems = DoublingConfig::problems(&fields(&[
        ("cancelAfterMs", Field::Text("abc".into())),
        ("workers", Field::Number(0.0)),
        ("wrokers", Field::Number(2.0)),
        (
            "failJobs",
            Field::List(vec![Field::Number(1.0), Field::Number(0.0)]),
        ),
    ]));
    let listed: Vec<(&str, &str, &str)> = problems
        .iter()
        .map(|p| (p.field.as_str(), p.label.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("wrokers", "wrokers", "\"wrokers\" is not a setting"),
            (
                "workers",
                "Workers",
                "Workers must be a whole number from 1 to 16, but got 0"
            ),
            (
                "failJobs",
                "Jobs that always fail",
                "Jobs that always fail (entry 2) must be a job number from 1 to 10000, but got 0"
            ),
            (
                "cancelAfterMs",
                "Cancel after (ms)",
                "Cancel after (ms) must be a whole number from 0 to 60000, but got \"abc\""
            ),
        ]
    );
}

#[test]
fn a_rule_across_fields_is_listed_once_each_field_is_fine_alone() {
    assert!(messages(&[("scenario", Field::Text("retry".into()))]).is_empty());
    let problems = DoublingConfig::problems(&fields(&[
        ("minWorkers", Field::Number(4.0)),
        ("maxWorkers", Field::Number(2.0)),
    ]));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field, "maxWorkers");
    assert_eq!(
        problems[0].message,
        "Autoscaling: most workers must be at least minWorkers (4), but got 2"
    );
    assert_eq!(
        messages(&[
            ("jobs", Field::Number(3.0)),
            ("failJobs", Field::Number(4.0))
        ]),
        ["Jobs that always fail (entry 1) must be a job number from 1 to 3, but got 4"]
    );
    assert_eq!(
        messages(&[("scenario", Field::Text("chaos".into()))])[0],
        "Scenario must be one of \"basic\", \"ordering\", \"backpressure\", \"deadlock-no-close\", \
         \"deadlock-after-wait\", \"deadlock-circular\", \"panic-send-on-closed\", \
         \"panic-close-twice\", \"errors\", \"cancel\", \"unbounded-vs-pool\", \"retry\", \
         \"autoscale\", \"waitgroup-misuse\", but got \"chaos\""
    );
}

#[test]
fn each_field_of_the_table_takes_its_own_default_and_its_range() {
    use poolplay::config::fields::DOUBLING;
    use poolplay::config::schema::Kind;
    for spec in DOUBLING {
        if let Some(default) = spec.default {
            let given = [(spec.name, Field::from(default))];
            assert!(messages(&given).is_empty(), "{}'s default", spec.name);
        }
        if let Kind::Whole { min, max, .. } = spec.kind {
            for fine in [min, max] {
                let given = [(spec.name, Field::Number(fine.into()))];
                assert!(messages(&given).is_empty(), "{} takes {fine}", spec.name);
            }
            let beyond = [(spec.name, Field::Number(f64::from(max) + 1.0))];
            assert_eq!(
                messages(&beyond).len(),
                1,
                "{} refuses {max} + 1",
                spec.name
            );
        }
    }
}

#[test]
fn a_config_lists_the_actors_it_starts_in_drawing_order() {
    let names = |pairs: &[(&str, Field)]| -> Vec<String> {
        let config = parse(pairs).unwrap();
        config.actors().iter().map(|a| a.to_string()).collect()
    };
    assert_eq!(
        names(&[("workers", Field::Number(2.0))]),
        ["producer", "worker-1", "worker-2", "closer", "consumer"]
    );
    assert_eq!(
        names(&[("collect", Field::Text("after-wait".into()))]),
        ["producer", "worker-1", "worker-2", "worker-3", "consumer"]
    );
    assert_eq!(
        names(&[
            ("scenario", Field::Text("unbounded-vs-pool".into())),
            ("jobs", Field::Number(2.0))
        ]),
        ["task-1", "task-2", "closer", "consumer"],
        "a comparison starts with its task per job"
    );
    assert_eq!(
        names(&[("scenario", Field::Text("autoscale".into()))]),
        ["producer", "worker-1", "closer", "consumer"],
        "an autoscaling pool starts with its fewest"
    );
}
