//! Registration, step two, pure: the person and the file to write, and the file's priority,
//! from the parsed registration and what the database knows (an imported income decile, the
//! county's deprived flag).

use chrono::{DateTime, Utc};
use vamyar_domain::priority::Priority;
use vamyar_domain::workflow::State;
use vamyar_store::application::{Application, NewApplication};
use vamyar_store::person::Person;

use super::parse::Parsed;

/// What registration writes.
#[derive(Clone, Debug)]
pub struct Decided {
    /// The person (id 0 until written).
    pub person: Person,
    /// The file to create (its tracking code is drawn when written).
    pub new: NewApplication,
    /// The file as it will read once written (ids filled in then), for the announcement.
    pub draft: Application,
    /// The priority score and its factors.
    pub priority: Priority,
    /// Whether the applicant's county is deprived.
    pub deprived: bool,
}

/// Decides the rows of a registration at `now`; an imported decile wins over a declared one.
pub fn decide(
    p: &Parsed,
    imported_decile: Option<i64>,
    deprived: bool,
    now: DateTime<Utc>,
) -> Decided {
    let a = &p.applicant;
    let typed = Person {
        id: 0,
        national_id: a.national_id.as_str().to_string(),
        first_name: a.first_name.clone(),
        last_name: a.last_name.clone(),
        father_name: a.father_name.clone(),
        birth_date: a.birth_date.map(vamyar_store::time::date),
        gender: a.gender.clone(),
        mobile: a.mobile.as_str().to_string(),
        province_code: a.province.clone(),
        county_code: a.county.clone(),
        address: a.address.clone(),
        postal_code: a.postal_code.as_ref().map(|p| p.as_str().to_string()),
        is_female_head: a.female_head_of_household,
        has_disability: a.disability,
        household_size: a.household_size,
        income_decile: imported_decile.or(a.income_decile),
        beneficiary_status: a.beneficiary_status.clone(),
        sheba: a.sheba.as_ref().map(|s| s.as_str().to_string()),
    };
    // A known person's stored details are kept: the file, its priority and its messages
    // follow them, not what was typed.
    let person = p.existing.clone().unwrap_or(typed);
    let staff_id = p.by.doer.staff_id;
    let mut new = NewApplication {
        tracking_code: String::new(),
        person_id: 0,
        program_id: p.settings.program.id,
        loan_type: p.loan_type.clone(),
        channel: p.by.channel.into(),
        state: State::Submitted.as_str().into(),
        requested_amount: p.amount,
        business_title: p.title.clone(),
        business_activity: p.activity.clone(),
        business_location: p.location.clone(),
        business_summary: p.summary.clone(),
        jobs_planned: p.jobs,
        province_code: person.province_code.clone(),
        county_code: person.county_code.clone(),
        priority_score: 0,
        priority_factors: "{}".into(),
        queue_rank: 0,
        submitted_day: 0,
        created_by_staff_id: staff_id,
        submitted_at: vamyar_store::time::ts(now),
    };
    let at = new.submitted_at.clone();
    let draft = Application {
        id: 0,
        tracking_code: String::new(),
        person_id: 0,
        program_id: new.program_id,
        loan_type: new.loan_type.clone(),
        channel: new.channel.clone(),
        state: State::Submitted,
        version: 1,
        requested_amount: p.amount,
        recommended_amount: None,
        approved_amount: None,
        business_title: new.business_title.clone(),
        business_activity: new.business_activity.clone(),
        business_location: new.business_location.clone(),
        business_summary: new.business_summary.clone(),
        jobs_planned: p.jobs,
        sector: None,
        province_code: new.province_code.clone(),
        county_code: new.county_code.clone(),
        priority_score: 0,
        submitted_at: at.clone(),
        state_changed_at: at,
        is_breached: false,
        created_by_staff_id: staff_id,
        bank_id: None,
        branch_id: None,
        queue_rank: 0,
    };
    let today = vamyar_calendar::tehran_date(now);
    // the imported decile wins, also for a known person whose stored decile is a claim
    // a linked household's size (the agency's case file) wins over the declared one
    let scored = crate::files::rescore::with_household(person.clone(), p.household_size);
    let priority = crate::files::rescore::score(
        &p.settings.weights,
        &draft,
        &scored,
        deprived,
        imported_decile,
        today,
    );
    // Submitted today: no waiting points yet, so this is the static score.
    new.priority_score = priority.score;
    let day = vamyar_domain::queue_key::day_number(today);
    new.submitted_day = day;
    new.queue_rank =
        vamyar_domain::queue_key::Waiting::from(&p.settings.weights).rank(priority.score, day, day);
    new.priority_factors = crate::files::rescore::stored_factors(
        &priority,
        crate::files::rescore::decile_source(imported_decile, person.income_decile),
        p.household_size.is_some(),
    );
    Decided {
        person,
        new,
        draft,
        priority,
        deprived,
    }
}
