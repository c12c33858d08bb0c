//! Geography and calendar: a county's deprived-area flag (it weighs in every priority
//! score) and the official holidays that service levels and due dates skip.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use vamyar_domain::policy::{Actor, Permission};
use vamyar_store::reference::{self, HolidayRow};

use super::{audit, require, require_staff, unparsed};
use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use crate::fields::{date, label, region_code};

/// The longest span one holiday listing may cover, in days (about ten years).
pub const MAX_HOLIDAY_SPAN_DAYS: i64 = 3_660;

/// The holiday kinds.
pub const HOLIDAY_KINDS: [&str; 3] = ["solar", "lunar", "other"];

/// A county in the provinces list.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CountyOut {
    /// `PP-NN`.
    pub code: String,
    /// Persian name.
    pub name_fa: String,
    /// English name.
    pub name_en: String,
    /// Flagged as a deprived area (priority).
    pub deprived: bool,
}

/// A county's editable flags.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountyPatch {
    /// Flagged as a deprived area (priority).
    pub deprived: bool,
}

/// Sets or clears a county's deprived-area flag (national admin), from a JSON body read
/// only once the caller's authority is established.
pub async fn set_county(
    ctx: &Ctx,
    actor: &Actor,
    code: &str,
    body: serde_json::Value,
) -> Result<CountyOut> {
    require(actor, &Permission::ManageCounties)?;
    let patch: CountyPatch = crate::input::from_value(body)?;
    set_deprived(ctx, actor, code, patch).await
}

/// Sets or clears a county's deprived-area flag (national admin); not found for an
/// unknown county. Audited as `county.set_deprived` when the flag changes.
pub async fn set_deprived(
    ctx: &Ctx,
    actor: &Actor,
    code: &str,
    patch: CountyPatch,
) -> Result<CountyOut> {
    require(actor, &Permission::ManageCounties)?;
    let code = region_code(code);
    let before = reference::county(&ctx.db, &code)
        .await?
        .ok_or(Error::NotFound)?;
    let mut tx = ctx.db.begin().await?;
    if !reference::set_county_deprived(&mut tx, &code, patch.deprived).await? {
        return Err(Error::NotFound);
    }
    if (before.is_deprived) != patch.deprived {
        // The county's open files gain or lose the deprived-area points now.
        let weights = crate::files::rescore::program_weights(ctx).await?;
        let rescored = crate::files::rescore::rescore(
            &mut tx,
            vamyar_store::queue::OpenFiles::County(&code),
            &weights,
            ctx.today(),
        )
        .await?;
        let detail = json!({"deprived": patch.deprived, "province_code": before.province_code,
            "files_rescored": rescored});
        audit(
            &mut tx,
            actor,
            "county.set_deprived",
            "county",
            &code,
            detail,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(CountyOut {
        code: before.code,
        name_fa: before.name_fa,
        name_en: before.name_en,
        deprived: patch.deprived,
    })
}

/// A holiday.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct HolidayOut {
    /// ISO date.
    pub date: String,
    /// Persian name.
    pub name_fa: String,
    /// English name.
    pub name_en: String,
    /// `solar`, `lunar` or `other`.
    pub kind: String,
}

impl From<HolidayRow> for HolidayOut {
    fn from(h: HolidayRow) -> Self {
        HolidayOut {
            date: h.holiday_date,
            name_fa: h.name_fa,
            name_en: h.name_en,
            kind: h.kind,
        }
    }
}

/// The span of a holiday listing.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HolidayRange {
    /// First day, ISO or Jalali (default today).
    pub from: Option<String>,
    /// Last day, ISO or Jalali (default a year after `from`).
    pub to: Option<String>,
}

/// The holidays between two dates, inclusive (staff): from today in Tehran and for a year
/// when the range does not say.
pub async fn list_holidays(
    ctx: &Ctx,
    actor: &Actor,
    range: HolidayRange,
) -> Result<Vec<HolidayOut>> {
    require_staff(actor)?;
    let mut errors = FieldErrors::new();
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    let from = if blank(&range.from) {
        Some(ctx.today())
    } else {
        date(&mut errors, "from", &range.from)
    };
    let to = match from {
        Some(f) if blank(&range.to) => Some(f + Duration::days(365)),
        _ => date(&mut errors, "to", &range.to),
    };
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            errors.add("to", "date_range_reversed");
        } else if (t - f).num_days() > MAX_HOLIDAY_SPAN_DAYS {
            errors.add("to", "out_of_range");
        }
    }
    errors.finish()?;
    let (Some(from), Some(to)) = (from, to) else {
        return Err(unparsed("holiday range"));
    };
    let rows = reference::holidays_between(&ctx.db, from, to).await?;
    Ok(rows.into_iter().map(HolidayOut::from).collect())
}

/// A new holiday.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayInput {
    /// The date, ISO or Jalali.
    pub date: Option<String>,
    /// Persian name.
    pub name_fa: Option<String>,
    /// English name.
    pub name_en: Option<String>,
    /// `lunar`, `other` or `solar`.
    pub kind: Option<String>,
}

/// Adds a holiday (national admin); a date that already is one is a conflict
/// `holiday_exists`.
pub async fn add_holiday(ctx: &Ctx, actor: &Actor, input: HolidayInput) -> Result<HolidayOut> {
    require(actor, &Permission::ManageHolidays)?;
    let mut errors = FieldErrors::new();
    let day = date(&mut errors, "date", &input.date);
    let name_fa = label(&mut errors, "name_fa", &input.name_fa);
    let name_en = label(&mut errors, "name_en", &input.name_en);
    let kind = match input.kind.as_deref().map(str::trim) {
        None | Some("") => {
            errors.add("kind", "required");
            None
        }
        Some(k) if HOLIDAY_KINDS.contains(&k) => Some(k.to_string()),
        Some(_) => {
            errors.add("kind", "invalid_choice");
            None
        }
    };
    errors.finish()?;
    let (Some(day), Some(name_fa), Some(name_en), Some(kind)) = (day, name_fa, name_en, kind)
    else {
        return Err(unparsed("holiday"));
    };
    let mut tx = ctx.db.begin().await?;
    if !reference::add_holiday(&mut tx, day, &name_fa, &name_en, &kind).await? {
        return Err(Error::Conflict("holiday_exists"));
    }
    let iso = vamyar_store::time::date(day);
    let detail = json!({"name_fa": name_fa, "name_en": name_en, "kind": kind});
    audit(&mut tx, actor, "holiday.add", "holiday", &iso, detail).await?;
    tx.commit().await?;
    Ok(HolidayOut {
        date: iso,
        name_fa,
        name_en,
        kind,
    })
}

/// Removes the holiday on `raw` (ISO, or Jalali with dashes) (national admin); not found
/// when that date is no holiday. `reason` (at most 500 characters; the pages ask it) is kept
/// in the audit entry.
pub async fn delete_holiday(
    ctx: &Ctx,
    actor: &Actor,
    raw: &str,
    reason: Option<String>,
) -> Result<()> {
    require(actor, &Permission::ManageHolidays)?;
    let mut errors = FieldErrors::new();
    let day: Option<NaiveDate> = date(&mut errors, "date", &Some(raw.to_string()));
    let reason = crate::fields::text(&mut errors, "reason", &reason, 500, false);
    errors.finish()?;
    let day = day.ok_or_else(|| unparsed("date"))?;
    let mut tx = ctx.db.begin().await?;
    let removed = reference::delete_holiday(&mut tx, day)
        .await?
        .ok_or(Error::NotFound)?;
    let detail = json!({"name_fa": removed.name_fa, "name_en": removed.name_en, "kind": removed.kind,
            "reason": reason});
    let date = removed.holiday_date;
    audit(&mut tx, actor, "holiday.delete", "holiday", &date, detail).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime};
    use vamyar_domain::policy::{Actor, Scope};
    use vamyar_domain::workflow::Role;
    use vamyar_store::both_engines;
    use vamyar_store::testdb::TestDb;

    use super::*;
    use crate::{Clock, Settings};

    both_engines!(
        a_listing_without_dates_starts_today_in_tehran,
        |db: TestDb| async move {
            // 01:00 on 2 Farvardin in Tehran is still 1 Farvardin in UTC.
            let today = NaiveDate::from_ymd_opt(2026, 3, 22).unwrap();
            let yesterday = today.pred_opt().unwrap();
            let clock = Clock::at_tehran(today, NaiveTime::from_hms_opt(1, 0, 0).unwrap());
            assert_eq!(clock.now().format("%F").to_string(), yesterday.to_string());
            let ctx = Ctx::new(db.db.clone(), Settings::default()).with_clock(clock);
            let mut tx = ctx.db.begin().await.unwrap();
            for day in [yesterday, today] {
                reference::add_holiday(&mut tx, day, "نوروز", "Nowruz", "solar")
                    .await
                    .unwrap();
            }
            tx.commit().await.unwrap();

            let clerk = Actor::staff(
                Role::DeskClerk,
                1,
                Scope::County {
                    province_code: "07".into(),
                    county_code: "07-01".into(),
                },
            )
            .unwrap();
            let listed = list_holidays(&ctx, &clerk, HolidayRange::default())
                .await
                .unwrap();
            let dates: Vec<&str> = listed.iter().map(|h| h.date.as_str()).collect();
            assert_eq!(dates.first(), Some(&"2026-03-22"), "{dates:?}");

            let applicant = Actor::applicant(1);
            let refused = list_holidays(&ctx, &applicant, HolidayRange::default()).await;
            assert!(matches!(refused, Err(Error::Forbidden)));
        }
    );
}
