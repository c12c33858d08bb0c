//! The reports by name, with the filters each one takes.

use serde::Serialize;
use utoipa::ToSchema;

/// A report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportName {
    /// Files entering and leaving each stage, working days per stage, service levels.
    Funnel,
    /// Disbursements by Jalali month.
    Disbursements,
    /// Quota use per memorandum, bank and province.
    Quotas,
    /// Outstanding principal, PAR30 and the central bank's classes by bank and province.
    Portfolio,
    /// Jobs planned against jobs found; accelerations and closures.
    Jobs,
    /// The share of the priority groups at each stage.
    Priority,
}

/// A filter of the query string (its parameter name is [`FilterKey::field`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FilterKey {
    /// `from`.
    From,
    /// `to`.
    To,
    /// `province`.
    Province,
    /// `county`.
    County,
    /// `program_id`.
    Program,
    /// `bank_id`.
    Bank,
    /// `loan_type`.
    LoanType,
    /// `gender`.
    Gender,
    /// `female_head_of_household`.
    FemaleHead,
    /// `deprived`.
    Deprived,
    /// `sector`.
    Sector,
}

impl FilterKey {
    /// Every filter.
    pub const ALL: &'static [FilterKey] = &[
        FilterKey::From,
        FilterKey::To,
        FilterKey::Province,
        FilterKey::County,
        FilterKey::Program,
        FilterKey::Bank,
        FilterKey::LoanType,
        FilterKey::Gender,
        FilterKey::FemaleHead,
        FilterKey::Deprived,
        FilterKey::Sector,
    ];

    /// The query parameter (and the field an error names).
    pub const fn field(self) -> &'static str {
        match self {
            FilterKey::From => "from",
            FilterKey::To => "to",
            FilterKey::Province => "province",
            FilterKey::County => "county",
            FilterKey::Program => "program_id",
            FilterKey::Bank => "bank_id",
            FilterKey::LoanType => "loan_type",
            FilterKey::Gender => "gender",
            FilterKey::FemaleHead => "female_head_of_household",
            FilterKey::Deprived => "deprived",
            FilterKey::Sector => "sector",
        }
    }
}

impl ReportName {
    /// Every report, in the order they are listed.
    pub const ALL: &'static [ReportName] = &[
        ReportName::Funnel,
        ReportName::Disbursements,
        ReportName::Quotas,
        ReportName::Portfolio,
        ReportName::Jobs,
        ReportName::Priority,
    ];

    /// The name in URLs (`funnel`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            ReportName::Funnel => "funnel",
            ReportName::Disbursements => "disbursements",
            ReportName::Quotas => "quotas",
            ReportName::Portfolio => "portfolio",
            ReportName::Jobs => "jobs",
            ReportName::Priority => "priority",
        }
    }

    /// The report of a URL name.
    pub fn parse(name: &str) -> Option<ReportName> {
        ReportName::ALL.iter().copied().find(|r| r.as_str() == name)
    }

    /// Fluent id of the report's title.
    pub const fn title_key(self) -> &'static str {
        match self {
            ReportName::Funnel => "report-funnel",
            ReportName::Disbursements => "report-disbursements",
            ReportName::Quotas => "report-quotas",
            ReportName::Portfolio => "report-portfolio",
            ReportName::Jobs => "report-jobs",
            ReportName::Priority => "report-priority",
        }
    }

    /// Whether the report takes `filter`. Quotas have no file behind them: only the program,
    /// the bank and the province apply. Every other report takes every filter.
    pub fn takes(self, filter: FilterKey) -> bool {
        match self {
            ReportName::Quotas => matches!(
                filter,
                FilterKey::Province | FilterKey::Program | FilterKey::Bank
            ),
            _ => true,
        }
    }

    /// What `from`/`to` bound: `registration` (the day a file was registered, in Tehran),
    /// `disbursement` (the loan's disbursement date), or nothing.
    pub const fn date_basis(self) -> Option<&'static str> {
        match self {
            ReportName::Funnel | ReportName::Priority => Some("registration"),
            ReportName::Disbursements | ReportName::Portfolio | ReportName::Jobs => {
                Some("disbursement")
            }
            ReportName::Quotas => None,
        }
    }
}
