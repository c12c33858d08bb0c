//! Quota use per memorandum, bank and province: referrals and rials allowed, taken and left,
//! and the share of the amount taken.

use vamyar_i18n::Lang;
use vamyar_store::report::{ReportFilter, quotas};

use super::labels::Names;
use super::model::{Cell, ChartKind, Kind, Table, basis_points};
use crate::error::Result;

/// The quotas table.
pub async fn build(
    ctx: &crate::Ctx,
    f: &ReportFilter,
    names: &Names,
    lang: Lang,
) -> Result<Vec<Table>> {
    let rows = quotas::list(ctx.db.pool(), f).await?;
    let mut table = Table::new(
        "report-quotas-table",
        &[
            ("report-col-memorandum", Kind::Text),
            ("report-col-bank", Kind::Text),
            ("report-col-province", Kind::Text),
            ("report-col-count-limit", Kind::Count),
            ("report-col-count-used", Kind::Count),
            ("report-col-count-left", Kind::Count),
            ("report-col-amount-limit", Kind::Rials),
            ("report-col-amount-used", Kind::Rials),
            ("report-col-amount-left", Kind::Rials),
            ("report-col-amount-used-share", Kind::Percent),
        ],
    )
    .with_chart(ChartKind::Bars, 2, &[7, 8]);
    for q in rows {
        table.rows.push(vec![
            Cell::Text(q.memorandum),
            Cell::Text(match lang {
                Lang::Fa => q.bank_fa,
                Lang::En => q.bank_en,
            }),
            Cell::Text(names.province(&q.province_code)),
            Cell::Int(q.count_limit),
            Cell::Int(q.count_used),
            Cell::Int(q.count_limit - q.count_used),
            Cell::Int(q.amount_limit),
            Cell::Int(q.amount_used),
            Cell::Int(q.amount_limit - q.amount_used),
            Cell::Int(basis_points(q.amount_used, q.amount_limit)),
        ]);
    }
    Ok(vec![table])
}
