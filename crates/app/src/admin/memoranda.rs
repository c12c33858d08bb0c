//! Memoranda (تفاهم‌نامه): a bank's terms for a program, with count and amount quotas by
//! province. The national administration signs them; a province's quota may be set by the
//! national administration or by that province's administrator ([`super::quotas`]).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use vamyar_domain::policy::{Actor, Permission};
use vamyar_store::bank::{self, Memorandum, Quota};
use vamyar_store::{Tx, program, reference, time};

use super::{audit, limits, own_bank, require, require_staff, unparsed};
use crate::Ctx;
use crate::applicant::Flex;
use crate::error::{Error, FieldErrors, Result};
use crate::fields::{conflict_on, date, int, int_or, label, region_code};

/// A province's quota under a memorandum, with its use.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct QuotaOut {
    /// Province code.
    pub province_code: String,
    /// Referrals allowed.
    pub count_limit: i64,
    /// Rials allowed.
    pub amount_limit: i64,
    /// Referrals made (released ones not counted).
    pub count_used: i64,
    /// Rials referred.
    pub amount_used: i64,
    /// Referrals still possible.
    pub count_remaining: i64,
    /// Rials still available.
    pub amount_remaining: i64,
}

impl From<Quota> for QuotaOut {
    fn from(q: Quota) -> Self {
        QuotaOut {
            count_remaining: q.count_limit - q.count_used,
            amount_remaining: q.amount_limit - q.amount_used,
            province_code: q.province_code,
            count_limit: q.count_limit,
            amount_limit: q.amount_limit,
            count_used: q.count_used,
            amount_used: q.amount_used,
        }
    }
}

/// A memorandum with its quotas.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MemorandumOut {
    /// Id.
    pub id: i64,
    /// The bank.
    pub bank_id: i64,
    /// The program.
    pub program_id: i64,
    /// The memorandum's number.
    pub number: String,
    /// Signing date (ISO).
    pub signed_on: String,
    /// First day referrals may be made (ISO).
    pub valid_from: String,
    /// Last day referrals may be made (ISO).
    pub valid_to: String,
    /// Yearly fee rate in basis points.
    pub fee_rate_bp: i64,
    /// Repayment installments.
    pub term_months: i64,
    /// Grace months.
    pub grace_months: i64,
    /// Days a referral letter stays valid.
    pub letter_validity_days: i64,
    /// Quotas by province.
    pub quotas: Vec<QuotaOut>,
}

impl MemorandumOut {
    fn new(m: Memorandum, quotas: Vec<QuotaOut>) -> MemorandumOut {
        MemorandumOut {
            id: m.id,
            bank_id: m.bank_id,
            program_id: m.program_id,
            number: m.number,
            signed_on: m.signed_on,
            valid_from: m.valid_from,
            valid_to: m.valid_to,
            fee_rate_bp: m.fee_rate_bp,
            term_months: m.term_months,
            grace_months: m.grace_months,
            letter_validity_days: m.letter_validity_days,
            quotas,
        }
    }
}

/// Every memorandum with its quotas, or only those of one bank.
pub async fn load_all(ctx: &Ctx, only_bank: Option<i64>) -> Result<Vec<MemorandumOut>> {
    let pool = ctx.db.pool();
    let memoranda = bank::memoranda(pool).await?;
    let mut quotas = bank::quotas(pool).await?;
    let mut out = Vec::new();
    for m in memoranda
        .into_iter()
        .filter(|m| only_bank.is_none_or(|b| b == m.bank_id))
    {
        let (mine, rest): (Vec<Quota>, Vec<Quota>) =
            quotas.into_iter().partition(|q| q.memorandum_id == m.id);
        quotas = rest;
        out.push(MemorandumOut::new(
            m,
            mine.into_iter().map(QuotaOut::from).collect(),
        ));
    }
    Ok(out)
}

/// Every memorandum with its quotas (staff; a bank officer sees only their bank's).
pub async fn list(ctx: &Ctx, actor: &Actor) -> Result<Vec<MemorandumOut>> {
    require_staff(actor)?;
    load_all(ctx, own_bank(actor)).await
}

/// A province's quota in a new memorandum.
#[derive(Clone, Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotaInput {
    /// Province code.
    pub province_code: Option<String>,
    /// Referrals allowed.
    pub count_limit: Option<Flex>,
    /// Rials allowed.
    pub amount_limit: Option<Flex>,
}

/// A new memorandum. Fee rate, term and grace default to the program's.
#[derive(Clone, Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemorandumInput {
    /// The bank.
    pub bank_id: Option<Flex>,
    /// The program.
    pub program_id: Option<Flex>,
    /// The memorandum's number.
    pub number: Option<String>,
    /// Signing date, ISO or Jalali.
    pub signed_on: Option<String>,
    /// First day of referrals, ISO or Jalali.
    pub valid_from: Option<String>,
    /// Last day of referrals, ISO or Jalali; not before `valid_from`.
    pub valid_to: Option<String>,
    /// Yearly fee rate in basis points, 0 … 10000.
    pub fee_rate_bp: Option<Flex>,
    /// Repayment installments, 1 … 240.
    pub term_months: Option<Flex>,
    /// Grace months, 0 … 60.
    pub grace_months: Option<Flex>,
    /// Days a referral letter stays valid, 1 … 365 (default 30).
    pub letter_validity_days: Option<Flex>,
    /// Quotas by province, each province once.
    pub quotas: Option<Vec<QuotaInput>>,
}

/// The quotas of a new memorandum, each province known and given once.
async fn quotas(
    ctx: &Ctx,
    errors: &mut FieldErrors,
    input: &[QuotaInput],
) -> Result<Vec<(String, i64, i64)>> {
    let mut quotas = Vec::new();
    let mut seen = HashSet::new();
    for (i, q) in input.iter().enumerate() {
        let prefix = format!("quotas[{i}].");
        let field = format!("{prefix}province_code");
        let province = match q.province_code.as_deref().map(region_code) {
            None => {
                errors.add(&field, "required");
                None
            }
            Some(p) if p.is_empty() => {
                errors.add(&field, "required");
                None
            }
            Some(p) if reference::province(ctx.db.pool(), &p).await?.is_none() => {
                errors.add(&field, "unknown_province");
                None
            }
            Some(p) if !seen.insert(p.clone()) => {
                errors.add(&field, "duplicate_value");
                None
            }
            Some(p) => Some(p),
        };
        let lim = limits(errors, &prefix, &q.count_limit, &q.amount_limit);
        if let (Some(p), Some((c, a))) = (province, lim) {
            quotas.push((p, c, a));
        }
    }
    Ok(quotas)
}

/// Signs a memorandum between a bank and the agency for a program, with its provincial
/// quotas (national admin). One per bank and program: a conflict `memorandum_exists`.
pub async fn create(ctx: &Ctx, actor: &Actor, input: MemorandumInput) -> Result<MemorandumOut> {
    require(actor, &Permission::ManageMemoranda)?;
    let mut tx = ctx.db.begin().await?;
    let out = create_in(ctx, &mut tx, actor, input).await?;
    tx.commit().await?;
    Ok(out)
}

/// [`create`] inside the caller's transaction `tx` (every check, the writes and the audit
/// row; the caller commits or rolls back). Reads before the writes go through the pool;
/// nothing here begins another transaction.
pub async fn create_in(
    ctx: &Ctx,
    tx: &mut Tx,
    actor: &Actor,
    input: MemorandumInput,
) -> Result<MemorandumOut> {
    require(actor, &Permission::ManageMemoranda)?;
    let pool = ctx.db.pool();
    let mut errors = FieldErrors::new();
    let bank_id = match int(&mut errors, "bank_id", &input.bank_id, 1..=i64::MAX) {
        Some(id) if bank::bank(pool, id).await?.is_none() => {
            errors.add("bank_id", "unknown_bank");
            None
        }
        other => other,
    };
    let program_row = match int(&mut errors, "program_id", &input.program_id, 1..=i64::MAX) {
        Some(id) => {
            let p = program::get(pool, id).await?;
            if p.is_none() {
                errors.add("program_id", "unknown_program");
            }
            p
        }
        None => None,
    };
    let number = label(&mut errors, "number", &input.number);
    let signed_on = date(&mut errors, "signed_on", &input.signed_on);
    let valid_from = date(&mut errors, "valid_from", &input.valid_from);
    let valid_to = date(&mut errors, "valid_to", &input.valid_to);
    if let (Some(from), Some(to)) = (valid_from, valid_to)
        && to < from
    {
        errors.add("valid_to", "date_range_reversed");
    }
    let (fee, term, grace) = program_row.as_ref().map_or((0, 1, 0), |p| {
        (p.fee_rate_bp, p.term_months, p.grace_months)
    });
    let fee_rate_bp = int_or(
        &mut errors,
        "fee_rate_bp",
        &input.fee_rate_bp,
        0..=10_000,
        fee,
    );
    let term_months = int_or(
        &mut errors,
        "term_months",
        &input.term_months,
        1..=240,
        term,
    );
    let grace_months = int_or(
        &mut errors,
        "grace_months",
        &input.grace_months,
        0..=60,
        grace,
    );
    let letter_days = int_or(
        &mut errors,
        "letter_validity_days",
        &input.letter_validity_days,
        1..=365,
        30,
    );
    let quotas = quotas(
        ctx,
        &mut errors,
        input.quotas.as_deref().unwrap_or_default(),
    )
    .await?;
    errors.finish()?;
    let (Some(bank_id), Some(program), Some(number), Some(signed_on)) =
        (bank_id, program_row, number, signed_on)
    else {
        return Err(unparsed("memorandum"));
    };
    let (Some(valid_from), Some(valid_to)) = (valid_from, valid_to) else {
        return Err(unparsed("memorandum"));
    };
    let mut m = Memorandum {
        id: 0,
        bank_id,
        program_id: program.id,
        number,
        signed_on: time::date(signed_on),
        valid_from: time::date(valid_from),
        valid_to: time::date(valid_to),
        fee_rate_bp: fee_rate_bp.unwrap_or(fee),
        term_months: term_months.unwrap_or(term),
        grace_months: grace_months.unwrap_or(grace),
        letter_validity_days: letter_days.unwrap_or(30),
    };
    if bank::memorandum_for(&mut **tx, bank_id, program.id)
        .await?
        .is_some()
    {
        return Err(Error::Conflict("memorandum_exists"));
    }
    m.id = bank::create_memorandum(tx, &m)
        .await
        .map_err(conflict_on(bank::MEMORANDUM_KEY, "memorandum_exists"))?;
    for (province, count, amount) in &quotas {
        bank::set_quota(tx, m.id, province, *count, *amount).await?;
    }
    let quota_detail: Vec<_> = quotas
        .iter()
        .map(|(p, c, a)| json!({"province_code": p, "count_limit": c, "amount_limit": a}))
        .collect();
    let detail = json!({
        "bank_id": m.bank_id, "program_id": m.program_id, "number": m.number,
        "valid_from": m.valid_from, "valid_to": m.valid_to, "fee_rate_bp": m.fee_rate_bp,
        "term_months": m.term_months, "grace_months": m.grace_months, "quotas": quota_detail,
    });
    audit(tx, actor, "memorandum.create", "memorandum", m.id, detail).await?;
    let stored = bank::quotas_of(&mut **tx, m.id).await?;
    let quotas = stored.into_iter().map(QuotaOut::from).collect();
    Ok(MemorandumOut::new(m, quotas))
}
