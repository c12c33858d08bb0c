//! Priority groups at each stage: of the files registered in the range, how many reached
//! each stage, and the share of female heads of household and of residents of deprived
//! counties among them. If the priority rule works, the shares hold (or grow) from
//! registration to disbursement instead of shrinking.

use vamyar_domain::workflow::State;
use vamyar_store::report::{ReportFilter, priority};

use super::funnel::BANK_STAGES;
use super::labels::Names;
use super::model::{Cell, ChartKind, Kind, Table, basis_points};
use crate::error::Result;

/// The groups table: `registered` (every file of the range; not for a bank), then each stage
/// in the workflow's order.
pub async fn build(
    ctx: &crate::Ctx,
    f: &ReportFilter,
    bank_only: bool,
    names: &Names,
) -> Result<Vec<Table>> {
    let rows = priority::groups(ctx.db.pool(), f, bank_only.then_some(BANK_STAGES)).await?;
    let mut table = Table::new(
        "report-priority-table",
        &[
            ("report-col-stage", Kind::Text),
            ("report-col-files", Kind::Count),
            ("report-col-female-heads", Kind::Count),
            ("report-col-female-heads-share", Kind::Percent),
            ("report-col-deprived", Kind::Count),
            ("report-col-deprived-share", Kind::Percent),
        ],
    )
    .with_chart(ChartKind::Line, 0, &[3, 5]);
    let order = std::iter::once("registered").chain(State::ALL.iter().map(|s| s.as_str()));
    for state in order {
        let Some(r) = rows.iter().find(|r| r.state == state) else {
            continue;
        };
        table.rows.push(vec![
            Cell::Text(names.stage(state)),
            Cell::Int(r.files),
            Cell::Int(r.female_heads),
            Cell::Int(basis_points(r.female_heads, r.files)),
            Cell::Int(r.deprived),
            Cell::Int(basis_points(r.deprived, r.files)),
        ]);
    }
    Ok(vec![table])
}
