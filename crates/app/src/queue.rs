//! The staff queue (highest priority first) and the bank's referral inbox.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::{IntoParams, ToSchema};
use vamyar_domain::policy::{Actor, Scope};
use vamyar_domain::vocab::ReferralStatus;
use vamyar_domain::workflow::{Role, State as FileState};

use vamyar_domain::queue_key::{Waiting, day_number};
use vamyar_store::application::Application;
use vamyar_store::person::Person;
use vamyar_store::queue::QueueFilter;
use vamyar_store::stage::StageInterval;

use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use crate::files::view::{self, FileView};
use crate::files::{FileContext, ProgramSettings};

/// Query of the queue.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// Only this state.
    pub state: Option<String>,
    /// Only this county (within the caller's scope).
    pub county: Option<String>,
    /// Only files whose current stage breached its service level (`true`), or only those that
    /// did not (`false`); as of the last close of business.
    pub breached: Option<bool>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<i64>,
    /// Start after this file: the `next` cursor of the previous page (`score.id`).
    pub after: Option<String>,
}

/// One page of the queue.
#[derive(Debug)]
pub struct QueuePage {
    /// The files, highest priority first, then the oldest.
    pub items: Vec<FileView>,
    /// The cursor of the next page (`?after=`), when there is one.
    pub next: Option<String>,
}

/// The queue in the caller's scope, highest priority first, then oldest, the files whose loan
/// was disbursed after every waiting one: one page, read in the order of the stored rank
/// ([`vamyar_domain::queue_key`]).
pub async fn list(ctx: &Ctx, actor: &Actor, q: &QueueQuery) -> Result<QueuePage> {
    let mut filter = QueueFilter::default();
    match actor.scope() {
        Scope::Own { .. } => return Err(Error::Forbidden),
        Scope::County {
            province_code,
            county_code,
        } => {
            filter.province_code = Some(province_code.clone());
            filter.county_code = Some(county_code.clone());
        }
        Scope::Province { province_code } => filter.province_code = Some(province_code.clone()),
        Scope::Bank { bank_id, branch_id } => {
            filter.bank_id = Some(*bank_id);
            filter.branch_id = *branch_id;
        }
        Scope::All => {}
    }
    let mut errors = FieldErrors::new();
    if let Some(s) = q.state.as_deref() {
        match FileState::parse(s) {
            Some(st) => filter.state = Some(st.as_str().to_string()),
            None => errors.add("state", "invalid_choice"),
        }
    }
    if let Some(c) = q.county.as_deref() {
        match &filter.county_code {
            Some(mine) if mine != c => errors.add("county", "outside_your_county"),
            _ => filter.county_code = Some(c.to_string()),
        }
    }
    let after = match q.after.as_deref().map(parse_cursor) {
        None => None,
        Some(Some(c)) => Some(c),
        Some(None) => {
            errors.add("after", "invalid_value");
            None
        }
    };
    errors.finish()?;
    filter.breached = q.breached;
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    filter.limit = limit + 1;
    let today = ctx.today();
    let t = day_number(today);
    let pool = ctx.db.pool();
    let after_at = match after {
        Some((score, id)) => match vamyar_store::application::get(pool, id).await? {
            Some(a) => Some((score, a.submitted_at, id)),
            None => return Err(Error::field("after", "invalid_value")),
        },
        None => None,
    };

    // Programs that share a waiting weight are ordered by one index range; others apart.
    let mut settings: Vec<ProgramSettings> = Vec::new();
    for p in vamyar_store::program::list(pool).await? {
        if let Some(s) = ProgramSettings::load(ctx, p.id).await? {
            settings.push(s);
        }
    }
    let mut groups: BTreeMap<Waiting, Vec<i64>> = BTreeMap::new();
    for s in &settings {
        groups
            .entry(Waiting::from(&s.weights))
            .or_default()
            .push(s.program.id);
    }
    let several = groups.len() > 1;
    let mut rows: Vec<(i64, Application)> = Vec::new();
    for (waiting, programs) in &groups {
        let mut f = filter.clone();
        if several {
            f.programs = Some(programs.clone());
        }
        f.after = after_at
            .as_ref()
            .map(|(score, at, id)| (waiting.rank_of_score(*score, t), at.clone(), *id));
        for app in vamyar_store::queue::page(pool, &f).await? {
            rows.push((waiting.score(app.queue_rank, t), app));
        }
    }
    rows.sort_by(|(sa, a), (sb, b)| {
        vamyar_domain::priority::queue_order(
            (*sa, (&a.submitted_at, a.id)),
            (*sb, (&b.submitted_at, b.id)),
        )
    });
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = if more {
        rows.last().map(|(score, a)| format!("{score}.{}", a.id))
    } else {
        None
    };
    let apps: Vec<Application> = rows.into_iter().map(|(_, a)| a).collect();
    let items = views(ctx, actor, apps, &settings, today).await?;
    Ok(QueuePage { items, next })
}

/// `score.id` → `(score, id)`.
fn parse_cursor(s: &str) -> Option<(i64, i64)> {
    let (score, id) = s.split_once('.')?;
    Some((score.parse().ok()?, id.parse().ok()?))
}

/// The views of a page of files, with their persons, deciles, counties and stage clocks read
/// in one query each for the whole page.
async fn views(
    ctx: &Ctx,
    actor: &Actor,
    apps: Vec<Application>,
    settings: &[ProgramSettings],
    today: chrono::NaiveDate,
) -> Result<Vec<FileView>> {
    let pool = ctx.db.pool();
    let person_ids: Vec<i64> = apps.iter().map(|a| a.person_id).collect();
    let persons: HashMap<i64, Person> = vamyar_store::person::by_ids(pool, &person_ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let national_ids: Vec<String> = persons.values().map(|p| p.national_id.clone()).collect();
    let deciles: HashMap<String, i64> = vamyar_store::person::imported_deciles(pool, &national_ids)
        .await?
        .into_iter()
        .collect();
    let households: HashMap<String, i64> = vamyar_store::household::sizes_of(pool, &national_ids)
        .await?
        .into_iter()
        .collect();
    let deprived: HashMap<String, bool> = vamyar_store::reference::counties(&ctx.db)
        .await?
        .into_iter()
        .map(|c| (c.code, c.is_deprived))
        .collect();
    let app_ids: Vec<i64> = apps.iter().map(|a| a.id).collect();
    let mut stages: HashMap<i64, Vec<StageInterval>> = HashMap::new();
    for (id, interval) in vamyar_store::stage::of_files(pool, &app_ids).await? {
        stages.entry(id).or_default().push(interval);
    }
    let calendar = ctx.calendar().await?;
    let mut out = Vec::with_capacity(apps.len());
    for app in apps {
        let Some(s) = settings.iter().find(|s| s.program.id == app.program_id) else {
            continue;
        };
        let Some(person) = persons.get(&app.person_id).cloned() else {
            return Err(Error::Internal(format!("file {} has no person", app.id)));
        };
        let intervals: Vec<StageInterval> = stages
            .remove(&app.id)
            .unwrap_or_default()
            .into_iter()
            .filter(|i| i.started_at >= app.state_changed_at)
            .collect();
        let file = FileContext {
            deprived: deprived.get(&app.county_code).copied().unwrap_or(false),
            imported_decile: deciles.get(&person.national_id).copied(),
            household_size: households.get(&person.national_id).copied(),
            person,
            app,
        };
        out.push(view::build(actor, &file, s, &intervals, &calendar, today));
    }
    Ok(out)
}

/// A referral in the bank's inbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralItem {
    /// Referral id.
    pub id: i64,
    /// The file.
    pub application_id: i64,
    /// The file's tracking code.
    pub tracking_code: String,
    /// The file's state.
    pub state: String,
    /// The file's version (for actions).
    pub version: i64,
    /// Letter number.
    pub letter_number: String,
    /// Rials referred.
    pub amount: i64,
    /// Branch.
    pub branch_id: i64,
    /// Issue date.
    pub issued_on: String,
    /// Last valid day.
    pub valid_until: String,
    /// Referral status.
    #[schema(value_type = String)]
    pub status: ReferralStatus,
}

/// Query of the bank's inbox.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// Only referrals with this status (`open`, `guarantees_pending`, `approved`, …).
    pub status: Option<String>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<i64>,
    /// Only referrals older than this one: the `next` cursor of the previous page.
    pub before: Option<i64>,
}

/// One page of the bank's inbox.
#[derive(Debug)]
pub struct InboxPage {
    /// The referrals, newest first.
    pub items: Vec<ReferralItem>,
    /// The cursor of the next page (`?before=`), when there is one.
    pub next: Option<i64>,
}

/// The referrals to the caller's bank (and branch, if the officer has one), newest first,
/// one page.
pub async fn referrals(ctx: &Ctx, actor: &Actor, q: &InboxQuery) -> Result<InboxPage> {
    let Scope::Bank { bank_id, branch_id } = actor.scope() else {
        return Err(Error::Forbidden);
    };
    if actor.role() != Role::BankOfficer {
        return Err(Error::Forbidden);
    }
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(s) => match ReferralStatus::parse(s) {
            Some(st) => Some(st.as_str().to_string()),
            None => return Err(Error::field("status", "invalid_choice")),
        },
    };
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let filter = vamyar_store::referral::InboxFilter {
        bank_id: *bank_id,
        branch_id: *branch_id,
        status,
        before: q.before,
        limit: limit + 1,
    };
    let mut rows = vamyar_store::referral::inbox(ctx.db.pool(), &filter).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = if more {
        rows.last().map(|r| r.referral.id)
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|row| {
            let r = row.referral;
            ReferralItem {
                id: r.id,
                application_id: r.application_id,
                tracking_code: row.tracking_code,
                state: row.state,
                version: row.version,
                letter_number: r.letter_number,
                amount: r.amount,
                branch_id: r.branch_id,
                issued_on: r.issued_on,
                valid_until: r.valid_until,
                status: r.status,
            }
        })
        .collect();
    Ok(InboxPage { items, next })
}
