//! Referrals to a bank branch under a memorandum, the provincial quotas they consume, and the
//! guarantees the bank asks for.

use serde::Serialize;
use sqlx::FromRow;
use vamyar_domain::vocab::{GuaranteeStatus, ReferralStatus};

use crate::{StoreError, Tx, time};

/// A referral letter.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Referral {
    /// Id.
    pub id: i64,
    /// The file.
    pub application_id: i64,
    /// Memorandum.
    pub memorandum_id: i64,
    /// Quota consumed.
    pub quota_id: i64,
    /// Bank.
    pub bank_id: i64,
    /// Branch.
    pub branch_id: i64,
    /// Letter number.
    pub letter_number: String,
    /// Rials referred.
    pub amount: i64,
    /// Issue date (ISO).
    pub issued_on: String,
    /// Last valid day (ISO).
    pub valid_until: String,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: ReferralStatus,
    /// Reason of a rejection.
    pub reason: Option<String>,
}

const COLUMNS: &str = "id, application_id, memorandum_id, quota_id, bank_id, branch_id, \
    letter_number, amount, issued_on, valid_until, status, reason";

/// Takes one referral and `amount` rials from a quota if both fit; false when they do not.
/// One conditional update, so two concurrent referrals cannot overdraw the quota.
pub async fn consume_quota(tx: &mut Tx, quota_id: i64, amount: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "update quota set count_used = count_used + 1, amount_used = amount_used + $1, updated_at = $2 \
         where id = $3 and count_used + 1 <= count_limit and amount_used + $1 <= amount_limit",
    )
    .bind(amount)
    .bind(time::now())
    .bind(quota_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives back what a referral took from its quota.
pub async fn release_quota(tx: &mut Tx, quota_id: i64, amount: i64) -> Result<(), StoreError> {
    sqlx::query(
        "update quota set count_used = count_used - 1, amount_used = amount_used - $1, updated_at = $2 \
         where id = $3",
    )
    .bind(amount)
    .bind(time::now())
    .bind(quota_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The quota of a province under a memorandum.
pub async fn quota_for(
    tx: &mut Tx,
    memorandum_id: i64,
    province_code: &str,
) -> Result<Option<crate::bank::Quota>, StoreError> {
    Ok(sqlx::query_as(
        "select id, memorandum_id, province_code, count_limit, amount_limit, count_used, amount_used \
         from quota where memorandum_id = $1 and province_code = $2",
    )
    .bind(memorandum_id)
    .bind(province_code)
    .fetch_optional(&mut **tx)
    .await?)
}

/// A new referral (status `open`); the letter number is `{prefix}-{id}`.
pub async fn create(
    tx: &mut Tx,
    r: &Referral,
    letter_prefix: &str,
) -> Result<Referral, StoreError> {
    let now = time::now();
    let placeholder = format!(
        "pending-{}-{}",
        r.application_id,
        crate::session::new_token()
    );
    let id: i64 = sqlx::query_scalar(
        "insert into referral (application_id, memorandum_id, quota_id, bank_id, branch_id, \
         letter_number, amount, issued_on, valid_until, status, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $10) returning id",
    )
    .bind(r.application_id)
    .bind(r.memorandum_id)
    .bind(r.quota_id)
    .bind(r.bank_id)
    .bind(r.branch_id)
    .bind(&placeholder)
    .bind(r.amount)
    .bind(&r.issued_on)
    .bind(&r.valid_until)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let letter = format!("{letter_prefix}-{id:06}");
    sqlx::query("update referral set letter_number = $1 where id = $2")
        .bind(&letter)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    // The file is in this bank's (and branch's) queue from now on: the trigger
    // `referral_sets_file_bank` copies the bank and branch onto the file.
    Ok(Referral {
        id,
        letter_number: letter,
        status: ReferralStatus::Open,
        ..r.clone()
    })
}

/// The latest referral of a file.
pub async fn latest<'e, E>(ex: E, application_id: i64) -> Result<Option<Referral>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from referral where application_id = $1 order by id desc limit 1"
    ))
    .bind(application_id)
    .fetch_optional(ex)
    .await?)
}

/// Sets a referral's status (and reason and decider).
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    status: &str,
    reason: Option<&str>,
    staff_id: Option<i64>,
) -> Result<(), StoreError> {
    let now = time::now();
    sqlx::query(
        "update referral set status = $1, reason = coalesce($2, reason), \
         decided_by_staff_id = coalesce($3, decided_by_staff_id), decided_at = $4, updated_at = $4 \
         where id = $5",
    )
    .bind(status)
    .bind(reason)
    .bind(staff_id)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A referral in a bank's inbox, with its file's tracking code, state and version.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct InboxRow {
    /// The referral.
    #[sqlx(flatten)]
    pub referral: Referral,
    /// The file's tracking code.
    pub tracking_code: String,
    /// The file's state.
    pub state: String,
    /// The file's version.
    pub version: i64,
}

/// Which referrals an inbox page holds.
#[derive(Clone, Debug, Default)]
pub struct InboxFilter {
    /// The bank.
    pub bank_id: i64,
    /// Only this branch.
    pub branch_id: Option<i64>,
    /// Only this status.
    pub status: Option<String>,
    /// Only referrals older than this id (the previous page's last).
    pub before: Option<i64>,
    /// At most this many.
    pub limit: i64,
}

/// One page of a bank's inbox (optionally one branch, one status), newest first: one indexed
/// range scan joined with the files.
pub async fn inbox<'e, E>(ex: E, f: &InboxFilter) -> Result<Vec<InboxRow>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let columns: Vec<String> = COLUMNS
        .split(", ")
        .map(|c| format!("r.{}", c.trim()))
        .collect();
    let mut sql = format!(
        "select {}, a.tracking_code, a.state, a.version from referral r \
         join application a on a.id = r.application_id where r.bank_id = $1",
        columns.join(", ")
    );
    let mut n = 1;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if f.branch_id.is_some() {
        sql.push_str(&format!(" and r.branch_id = {}", next()));
    }
    if f.status.is_some() {
        sql.push_str(&format!(" and r.status = {}", next()));
    }
    if f.before.is_some() {
        sql.push_str(&format!(" and r.id < {}", next()));
    }
    sql.push_str(&format!(
        " order by r.id desc limit {}",
        f.limit.clamp(1, 5000)
    ));
    let mut q = sqlx::query_as::<_, InboxRow>(&sql).bind(f.bank_id);
    if let Some(b) = f.branch_id {
        q = q.bind(b);
    }
    if let Some(s) = &f.status {
        q = q.bind(s);
    }
    if let Some(b) = f.before {
        q = q.bind(b);
    }
    Ok(q.fetch_all(ex).await?)
}

/// A guarantee the bank asks for.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Guarantee {
    /// Id.
    pub id: i64,
    /// Referral.
    pub referral_id: i64,
    /// `guarantor`, `promissory_note`, `salary_deduction`, `collateral_deed`, `cheque`, `institution`.
    pub kind: String,
    /// Free description.
    pub description: Option<String>,
    /// Guarantor's national ID.
    pub guarantor_national_id: Option<String>,
    /// Guarantor's name.
    pub guarantor_name: Option<String>,
    /// Amount covered, rials.
    pub amount: Option<i64>,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: GuaranteeStatus,
}

/// Adds a requested guarantee.
pub async fn add_guarantee(tx: &mut Tx, g: &Guarantee) -> Result<i64, StoreError> {
    let now = time::now();
    Ok(sqlx::query_scalar(
        "insert into guarantee (referral_id, kind, description, guarantor_national_id, \
         guarantor_name, amount, status, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, 'requested', $7, $7) returning id",
    )
    .bind(g.referral_id)
    .bind(&g.kind)
    .bind(&g.description)
    .bind(&g.guarantor_national_id)
    .bind(&g.guarantor_name)
    .bind(g.amount)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}

/// Marks every requested guarantee of a referral with `status`.
pub async fn decide_guarantees(
    tx: &mut Tx,
    referral_id: i64,
    status: &str,
) -> Result<(), StoreError> {
    sqlx::query("update guarantee set status = $1, updated_at = $2 where referral_id = $3 and status = 'requested'")
        .bind(status)
        .bind(time::now())
        .bind(referral_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The guarantees of a referral.
pub async fn guarantees<'e, E>(ex: E, referral_id: i64) -> Result<Vec<Guarantee>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select id, referral_id, kind, description, guarantor_national_id, guarantor_name, amount, \
         status from guarantee where referral_id = $1 order by id",
    )
    .bind(referral_id)
    .fetch_all(ex)
    .await?)
}

/// The verification code stored for a referral letter (`None` until it was first printed).
pub async fn verification_code<'e, E>(ex: E, id: i64) -> Result<Option<String>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let code: Option<Option<String>> =
        sqlx::query_scalar("select verification_code from referral where id = $1")
            .bind(id)
            .fetch_optional(ex)
            .await?;
    Ok(code.flatten())
}

/// Stores `code` as the verification code of referral `id` unless it already has one, and
/// answers the code it has now. `None` when `code` belongs to another letter already (the
/// caller derives the next one). Two printers at once store the same code: the second
/// update finds it set and changes nothing.
pub async fn keep_verification_code(
    tx: &mut Tx,
    id: i64,
    code: &str,
) -> Result<Option<String>, StoreError> {
    let holder: Option<i64> =
        sqlx::query_scalar("select id from referral where verification_code = $1")
            .bind(code)
            .fetch_optional(&mut **tx)
            .await?;
    if holder.is_some_and(|h| h != id) {
        return Ok(None);
    }
    sqlx::query(
        "update referral set verification_code = $1 where id = $2 and verification_code is null",
    )
    .bind(code)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    verification_code(&mut **tx, id).await
}

/// What the public verification page may say about a letter: nothing about the applicant.
#[derive(Clone, Debug, FromRow)]
pub struct LetterFacts {
    /// The letter's number.
    pub letter_number: String,
    /// Rials referred.
    pub amount: i64,
    /// Issue date (ISO).
    pub issued_on: String,
    /// Last valid day (ISO).
    pub valid_until: String,
    /// Where the referral stands.
    #[sqlx(try_from = "String")]
    pub status: ReferralStatus,
    /// The bank's Persian name.
    pub bank_fa: String,
    /// The bank's English name.
    pub bank_en: String,
    /// The branch's Persian name.
    pub branch_fa: String,
    /// The branch's English name.
    pub branch_en: String,
}

/// The letter whose verification code is `code` (canonical digits), read through the
/// unique index.
pub async fn by_verification_code<'e, E>(
    ex: E,
    code: &str,
) -> Result<Option<LetterFacts>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select r.letter_number, r.amount, r.issued_on, r.valid_until, r.status, \
         b.name_fa as bank_fa, b.name_en as bank_en, br.name_fa as branch_fa, \
         br.name_en as branch_en \
         from referral r join bank b on b.id = r.bank_id join branch br on br.id = r.branch_id \
         where r.verification_code = $1",
    )
    .bind(code)
    .fetch_optional(ex)
    .await?)
}
