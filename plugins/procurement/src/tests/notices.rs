//! Checks across the notices of one procurement, and its stage.

use super::*;

#[test]
fn a_whole_procurement_in_order_has_no_findings() {
    let all = whole_procurement();
    assert_eq!(sequence::check(&all), []);
    assert_eq!(sequence::current_stage(&all), Some(Stage::Accepted));
    assert_eq!(sequence::current_stage(&all[..4]), Some(Stage::Awarded));
    assert_eq!(sequence::current_stage(&[]), None);
    // The order comes from the dates, not from the list.
    let mut shuffled = all.clone();
    shuffled.reverse();
    assert_eq!(sequence::check(&shuffled), []);
}

fn finding_codes(notices: &[Notice]) -> Vec<(String, &'static str)> {
    sequence::check(notices)
        .into_iter()
        .map(|f| (f.notice, f.code))
        .collect()
}

#[test]
fn an_award_before_the_amended_opening_is_refused() {
    let mut all = whole_procurement();
    // Decided after the original opening but before the amended one.
    all[3] = n(
        "n4",
        AWARD,
        award_fields("2026-05-26T09:30", "2026-05-28"),
        Some("2026-05-29T10:00:00+08:00"),
    );
    assert_eq!(
        finding_codes(&all[..4]),
        [("n4".to_string(), "award-before-opening")]
    );
}

#[test]
fn an_amendment_cannot_move_the_deadline_back() {
    let mut all = whole_procurement();
    all[2] = n(
        "n3",
        AMENDMENT,
        amendment_fields("2026-05-08", "2026-05-27T09:30", "2026-05-25T09:30"),
        Some("2026-05-08T16:00:00+08:00"),
    );
    let codes = finding_codes(&all[..3]);
    assert_eq!(
        codes,
        [
            ("n3".to_string(), "moves-back"),
            ("n3".to_string(), "moves-back")
        ]
    );
}

#[test]
fn nothing_follows_a_cancellation() {
    let mut all = whole_procurement()[..3].to_vec();
    all.push(n(
        "c",
        CANCELLATION,
        cancellation_fields("2026-05-20"),
        Some("2026-05-20T09:00:00+08:00"),
    ));
    all.push(n(
        "late",
        AMENDMENT,
        amendment_fields("2026-05-21", "2026-06-01T09:30", "2026-06-05T09:30"),
        Some("2026-05-21T09:00:00+08:00"),
    ));
    assert_eq!(finding_codes(&all), [("late".to_string(), "cancelled")]);
    assert_eq!(sequence::current_stage(&all), Some(Stage::Cancelled));
}

#[test]
fn intention_public_30_days_before_the_tender() {
    let mut all = whole_procurement()[..2].to_vec();
    // Published 7 April: the tender may start on 7 May, not on 6 May.
    all[0].published_at = Some("2026-04-07T10:00:00+08:00".into());
    assert_eq!(finding_codes(&all), [("n2".to_string(), "intention-late")]);
    all[0].published_at = Some("2026-04-06T10:00:00+08:00".into());
    assert_eq!(finding_codes(&all), []);
}

#[test]
fn contract_and_acceptance_follow_the_award() {
    let mut all = whole_procurement();
    all[4] = n(
        "n5",
        CONTRACT,
        contract_fields("2026-06-03", "2026-07-04"),
        Some("2026-07-05T09:00:00+08:00"),
    );
    assert_eq!(
        finding_codes(&all[..5]),
        [("n5".to_string(), "signing-late")]
    );
    all[4] = n(
        "n5",
        CONTRACT,
        contract_fields("2026-06-03", "2026-07-03"),
        Some("2026-07-05T09:00:00+08:00"),
    );
    assert_eq!(finding_codes(&all[..5]), []);
    all[5] = n(
        "n6",
        ACCEPTANCE,
        acceptance_fields("2026-07-02"),
        Some("2026-07-22T09:00:00+08:00"),
    );
    assert_eq!(
        finding_codes(&all),
        [("n6".to_string(), "acceptance-before-contract")]
    );
    let alone = [all[4].clone()];
    assert_eq!(finding_codes(&alone), [("n5".to_string(), "no-award")]);
    let award_only = [all[3].clone()];
    assert_eq!(
        finding_codes(&award_only),
        [("n4".to_string(), "no-tender")]
    );
}

#[test]
fn publication_days_are_days_in_china() {
    use crate::notice::china_date;
    assert_eq!(
        china_date("2026-03-02T09:00:00+08:00"),
        Some(d("2026-03-02"))
    );
    assert_eq!(china_date("2026-03-02T15:59:59Z"), Some(d("2026-03-02")));
    assert_eq!(china_date("2026-03-02T16:00:00Z"), Some(d("2026-03-03")));
    assert_eq!(
        china_date("2026-03-02T16:00:00.123456+00:00"),
        Some(d("2026-03-03"))
    );
    assert_eq!(
        china_date("2026-03-02T23:30:00-05:00"),
        Some(d("2026-03-03"))
    );
    assert_eq!(
        china_date("2026-03-02T00:30:00+09:00"),
        Some(d("2026-03-01"))
    );
    assert_eq!(china_date("2026-03-02T00:30"), Some(d("2026-03-02")));
    assert_eq!(china_date("yesterday"), None);
}

/// The published notices as the host passes them to `validate_related`.
fn published(notices: &[Notice]) -> Vec<gongkai_plugin_sdk::ExportItem> {
    notices
        .iter()
        .map(|n| gongkai_plugin_sdk::ExportItem {
            id: n.id.clone(),
            kind: n.kind.to_string(),
            fields: n.fields.clone(),
            published_at: n.published_at.clone(),
        })
        .collect()
}

#[test]
fn a_notice_being_saved_is_judged_against_the_published_ones() {
    let c = ctx("2026-06-02");
    let all = whole_procurement();
    // An award decided before the amended opening time: refused with the rule's code.
    let early = award_fields("2026-05-26T09:30", "2026-05-28");
    let p = Procurement::validate_related(AWARD, &early, &published(&all[..3]), &c).unwrap();
    assert!(
        has(&p, "decision_date", "award-before-opening", Severity::Error),
        "{:?}",
        codes(&p)
    );
    // In order, nothing to say; and the published notices' own findings are not the
    // saved notice's.
    let fine = award_fields("2026-06-01T09:30", "2026-06-02");
    assert!(
        Procurement::validate_related(AWARD, &fine, &published(&all[..3]), &c)
            .unwrap()
            .is_empty()
    );
    // After a cancellation, no notice follows.
    let mut cancelled = all[..3].to_vec();
    cancelled.push(n(
        "c",
        CANCELLATION,
        cancellation_fields("2026-05-20"),
        Some("2026-05-20T09:00:00+08:00"),
    ));
    let late = amendment_fields("2026-05-21", "2026-06-01T09:30", "2026-06-05T09:30");
    let p = Procurement::validate_related(AMENDMENT, &late, &published(&cancelled), &c).unwrap();
    assert_eq!(
        codes(&p),
        [("project_number".to_string(), "cancelled".to_string())]
    );
    // Only the notice kinds tie procurements together; a bid is not one.
    assert_eq!(
        Procurement::kind(TENDER).unwrap().related_by.as_deref(),
        Some("project_number")
    );
    assert_eq!(Procurement::kind(BID).unwrap().related_by, None);
}
