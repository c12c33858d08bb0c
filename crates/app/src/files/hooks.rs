//! What each action does besides moving the state: the plan's amount, the referral and its
//! quota, guarantees, releasing quota when a bank refuses or the applicant withdraws, and the
//! loan at disbursement and acceleration (`crate::loans`).
//! Runs inside the action's transaction; returns the detail kept in the history and sent
//! with the announcement.

use chrono::{Duration, NaiveDate};
use serde_json::json;
use vamyar_domain::primitives::NationalId;
use vamyar_domain::vocab::{GuaranteeStatus, ReferralStatus};
use vamyar_domain::workflow::{Action, Transition};
use vamyar_store::Tx;
use vamyar_store::referral::{self, Guarantee, Referral};

use super::body::ActionBody;
use super::doer::Doer;
use super::{FileContext, Rules};
use crate::error::{Error, FieldErrors, Result};

const GUARANTEE_KINDS: [&str; 6] = [
    "guarantor",
    "promissory_note",
    "salary_deduction",
    "collateral_deed",
    "cheque",
    "institution",
];

/// Checks and performs what `t.action` needs before the state moves.
pub async fn before_transition(
    tx: &mut Tx,
    file: &FileContext,
    rules: &Rules,
    t: &Transition,
    body: &ActionBody,
    doer: &Doer,
) -> Result<serde_json::Value> {
    let settings = &rules.settings;
    let app = &file.app;
    let ceiling = settings
        .ceiling(&app.loan_type, app.jobs_planned)
        .unwrap_or(0);
    match t.action {
        Action::ApprovePlan => {
            let Some((reviewed, jobs)) =
                vamyar_store::counselling::latest_plan_review(tx, app.id).await?
            else {
                return Err(Error::Conflict("plan_review_missing"));
            };
            // the reviewed plan's jobs decide a per-job (employer) ceiling from here on
            let ceiling = settings.ceiling(&app.loan_type, jobs).unwrap_or(0);
            vamyar_store::application::set_jobs(tx, app.id, jobs).await?;
            let mut errors = FieldErrors::new();
            let amount = crate::fields::optional_positive_amount(
                &mut errors,
                "recommended_amount",
                &body.recommended_amount,
            )
            .unwrap_or(reviewed);
            if amount > ceiling {
                errors.add_with(
                    "recommended_amount",
                    "amount_above_ceiling",
                    vec![("ceiling", ceiling)],
                );
            }
            errors.finish()?;
            vamyar_store::application::set_amounts(tx, app.id, Some(amount), None).await?;
            Ok(json!({"recommended_amount": amount}))
        }
        Action::Refer => refer(tx, file, rules, body, ceiling).await,
        Action::RequestGuarantees => {
            let r = open_referral(tx, app.id).await?;
            let list = body.guarantees.clone().unwrap_or_default();
            let mut errors = FieldErrors::new();
            if list.is_empty() {
                errors.add("guarantees", "required");
            }
            let mut out = Vec::new();
            for (i, g) in list.iter().enumerate() {
                let f = |n: &str| format!("guarantees[{i}].{n}");
                if !GUARANTEE_KINDS.contains(&g.kind.as_str()) {
                    errors.add(f("kind"), "invalid_choice");
                }
                let nid = match g
                    .guarantor_national_id
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                {
                    Some(s) => errors
                        .check(&f("guarantor_national_id"), NationalId::parse(s))
                        .map(|n| n.as_str().to_string()),
                    None if g.kind == "guarantor" => {
                        errors.add(f("guarantor_national_id"), "required");
                        None
                    }
                    None => None,
                };
                let amount =
                    crate::fields::optional_positive_amount(&mut errors, &f("amount"), &g.amount);
                out.push(Guarantee {
                    id: 0,
                    referral_id: r.id,
                    kind: g.kind.clone(),
                    description: g
                        .description
                        .as_deref()
                        .map(vamyar_domain::text::normalize_persian),
                    guarantor_national_id: nid,
                    guarantor_name: g
                        .guarantor_name
                        .as_deref()
                        .map(vamyar_domain::text::normalize_persian),
                    amount,
                    status: GuaranteeStatus::Requested,
                });
            }
            errors.finish()?;
            for g in &out {
                referral::add_guarantee(tx, g).await?;
            }
            referral::set_status(tx, r.id, "guarantees_pending", None, doer.staff_id).await?;
            let kinds: Vec<&str> = out.iter().map(|g| g.kind.as_str()).collect();
            Ok(json!({"referral_id": r.id, "guarantees": kinds}))
        }
        Action::AcceptGuarantees => {
            let r = open_referral(tx, app.id).await?;
            referral::decide_guarantees(tx, r.id, "accepted").await?;
            referral::set_status(tx, r.id, "approved", None, doer.staff_id).await?;
            vamyar_store::application::set_amounts(tx, app.id, None, Some(r.amount)).await?;
            Ok(json!({"referral_id": r.id, "approved_amount": r.amount}))
        }
        Action::BankReject | Action::ExpireReferral => {
            let r = open_referral(tx, app.id).await?;
            let status = if t.action == Action::BankReject {
                "rejected"
            } else {
                "expired"
            };
            referral::set_status(tx, r.id, status, body.reason.as_deref(), doer.staff_id).await?;
            referral::decide_guarantees(tx, r.id, "rejected").await?;
            referral::release_quota(tx, r.quota_id, r.amount).await?;
            Ok(json!({"referral_id": r.id, "letter_number": r.letter_number}))
        }
        Action::Withdraw => {
            if let Some(r) = referral::latest(&mut **tx, app.id).await?
                && matches!(
                    r.status.as_str(),
                    "open" | "guarantees_pending" | "approved"
                )
            {
                referral::set_status(tx, r.id, "withdrawn", None, doer.staff_id).await?;
                referral::release_quota(tx, r.quota_id, r.amount).await?;
                return Ok(json!({"referral_id": r.id, "quota_released": true}));
            }
            Ok(json!({}))
        }
        Action::Disburse => crate::loans::disburse::disburse(tx, file, rules, body).await,
        Action::Accelerate => crate::loans::accelerate::accelerate(tx, file, rules.today).await,
        // a file closes only when a payment settles its loan (loans::payments), by the system
        Action::Close => Err(Error::Conflict("action_not_available")),
        _ => Ok(json!({})),
    }
}

/// What an action does after the state moved, in the same transaction: a disbursement
/// announces the first monitoring visit.
pub async fn after_transition(
    tx: &mut Tx,
    file: &FileContext,
    t: &Transition,
    detail: &serde_json::Value,
) -> Result<()> {
    match t.action {
        Action::Disburse => crate::loans::disburse::announce_first_visit(tx, file, detail).await,
        _ => Ok(()),
    }
}

/// The referral a bank is deciding on.
async fn open_referral(tx: &mut Tx, application_id: i64) -> Result<Referral> {
    referral::latest(&mut **tx, application_id)
        .await?
        .filter(|r| {
            matches!(
                r.status.as_str(),
                "open" | "guarantees_pending" | "approved"
            )
        })
        .ok_or(Error::Conflict("no_open_referral"))
}

async fn refer(
    tx: &mut Tx,
    file: &FileContext,
    rules: &Rules,
    body: &ActionBody,
    ceiling: i64,
) -> Result<serde_json::Value> {
    let app = &file.app;
    let mut errors = FieldErrors::new();
    let Some(branch_id) = body.branch_id else {
        errors.add("branch_id", "required");
        return Err(Error::Validation(errors));
    };
    let branch = vamyar_store::bank::branches(&mut **tx)
        .await?
        .into_iter()
        .find(|b| b.id == branch_id);
    let Some(branch) = branch else {
        errors.add("branch_id", "unknown_branch");
        return Err(Error::Validation(errors));
    };
    let amount = crate::fields::optional_positive_amount(&mut errors, "amount", &body.amount)
        .or(app.recommended_amount)
        .unwrap_or(app.requested_amount);
    if amount > ceiling {
        errors.add_with("amount", "amount_above_ceiling", vec![("ceiling", ceiling)]);
    }
    errors.finish()?;
    let settings = &rules.settings;
    let today = vamyar_store::time::date(rules.today);
    let memorandum = vamyar_store::bank::memoranda(&mut **tx)
        .await?
        .into_iter()
        .find(|m| {
            m.bank_id == branch.bank_id
                && m.program_id == settings.program.id
                && m.valid_from <= today
                && today <= m.valid_to
        })
        .ok_or(Error::Conflict("no_memorandum"))?;
    let quota = referral::quota_for(tx, memorandum.id, &app.province_code)
        .await?
        .ok_or(Error::Conflict("quota_exhausted"))?;
    if !referral::consume_quota(tx, quota.id, amount).await? {
        return Err(Error::Conflict("quota_exhausted"));
    }
    let until = valid_until(rules.today, memorandum.letter_validity_days);
    let r = referral::create(
        tx,
        &Referral {
            id: 0,
            application_id: app.id,
            memorandum_id: memorandum.id,
            quota_id: quota.id,
            bank_id: branch.bank_id,
            branch_id: branch.id,
            letter_number: String::new(),
            amount,
            issued_on: today,
            valid_until: vamyar_store::time::date(until),
            status: ReferralStatus::Open,
            reason: None,
        },
        &format!("{}-{}", settings.program.jalali_year, app.province_code),
    )
    .await?;
    let bank = vamyar_store::bank::banks(&mut **tx)
        .await?
        .into_iter()
        .find(|b| b.id == branch.bank_id);
    Ok(json!({
        "referral_id": r.id,
        "letter_number": r.letter_number,
        "amount": amount,
        "valid_until": r.valid_until,
        "bank": bank.map(|b| json!({"id": b.id, "name_fa": b.name_fa, "name_en": b.name_en})),
        "branch": {"id": branch.id, "name_fa": branch.name_fa, "name_en": branch.name_en},
    }))
}

/// The letter validity end for a referral issued on `today`.
pub fn valid_until(today: NaiveDate, days: i64) -> NaiveDate {
    today + Duration::days(days)
}
