//! A refused form shown the GOV.UK way: an error summary on top whose entries link to the
//! fields, in the form's order, and a message beside each field (`aria-invalid`,
//! `aria-describedby`). Messages name fields by their Persian (or English) labels, never by
//! internal names, and amounts on toman forms are quoted in tomans with separators.

use std::collections::BTreeMap;

use vamyar_i18n::{Arg, Lang};

use crate::error::AppError;

/// Where a field of the service's answer sits on the page.
#[derive(Clone, Debug)]
pub struct Target {
    /// The `id` of the element to link to and mark.
    pub id: String,
    /// The field's label as the page shows it.
    pub label: String,
    /// Its place in the form (the summary follows the form's order).
    pub order: usize,
}

/// One entry of the error summary.
#[derive(Clone, Debug)]
pub struct Item {
    /// `#id` of the field, when the problem belongs to one.
    pub href: Option<String>,
    /// The text: the field's label and its message, or the whole refusal.
    pub text: String,
}

/// What went wrong with a submitted form.
#[derive(Clone, Debug, Default)]
pub struct Problems {
    /// The summary's entries, in the form's order.
    pub items: Vec<Item>,
    /// Each marked field's message, by element id.
    pub fields: BTreeMap<String, String>,
}

/// A summary entry with its place in the form and, for a field, its id and message.
type Placed = (usize, Item, Option<(String, String)>);

/// How a form asks for amounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Money {
    /// In tomans (what people say): limits are quoted in tomans.
    Tomans,
    /// In rials.
    Rials,
}

/// Placeholders holding amounts of rials.
const AMOUNT_ARGS: &[&str] = &["ceiling", "approved", "amount", "limit"];

/// A field's message in `lang` (amount placeholders in tomans on toman forms).
pub fn field_message(lang: Lang, code: &str, args: &[(&'static str, i64)], money: Money) -> String {
    if money == Money::Tomans {
        let toman_args: Vec<(&str, Arg)> = args
            .iter()
            .map(|(k, v)| {
                if AMOUNT_ARGS.contains(k) {
                    (*k, Arg::Str(vamyar_i18n::format::tomans(lang, *v)))
                } else {
                    (*k, Arg::Int(*v))
                }
            })
            .collect();
        if let Some(t) = vamyar_i18n::try_text(lang, &format!("pg-error-{code}"), &toman_args) {
            return t;
        }
    }
    let plain: Vec<(&str, Arg)> = args.iter().map(|(k, v)| (*k, Arg::Int(*v))).collect();
    vamyar_i18n::text(lang, &format!("error-{code}"), &plain)
}

/// The label id part of a field path (`applicant.national_id` → `national-id`).
pub fn field_key(field: &str) -> String {
    field
        .rsplit('.')
        .next()
        .unwrap_or(field)
        .split('[')
        .next()
        .unwrap_or(field)
        .replace('_', "-")
}

/// A field's label from the page texts (`pg-field-…`), or a neutral "this item".
pub fn label_of(lang: Lang, field: &str) -> String {
    vamyar_i18n::try_text(lang, &format!("pg-field-{}", field_key(field)), &[])
        .unwrap_or_else(|| vamyar_i18n::text(lang, "pg-field-unnamed", &[]))
}

impl Problems {
    /// The problems of a refusal: each field error placed by `locate` (field path → where it
    /// is shown); a field not on the form, and every other refusal, is a summary entry
    /// without a link.
    pub fn of(
        lang: Lang,
        e: &AppError,
        locate: &dyn Fn(&str) -> Option<Target>,
        money: Money,
    ) -> Problems {
        let AppError::Validation(fields) = e else {
            return Problems::message(e.message(lang));
        };
        let mut placed: Vec<Placed> = Vec::new();
        for (path, fe) in &fields.0 {
            let msg = field_message(lang, fe.code, &fe.args, money);
            match locate(path) {
                Some(t) => {
                    if placed
                        .iter()
                        .any(|(_, _, f)| f.as_ref().is_some_and(|(id, _)| id == &t.id))
                    {
                        continue;
                    }
                    placed.push((
                        t.order,
                        Item {
                            href: Some(format!("#{}", t.id)),
                            text: format!("{}: {msg}", t.label),
                        },
                        Some((t.id, msg)),
                    ));
                }
                None => placed.push((
                    usize::MAX,
                    Item {
                        href: None,
                        text: format!("{}: {msg}", label_of(lang, path)),
                    },
                    None,
                )),
            }
        }
        placed.sort_by_key(|(o, _, _)| *o);
        let mut out = Problems::default();
        for (_, item, field) in placed {
            out.items.push(item);
            if let Some((id, msg)) = field {
                out.fields.insert(id, msg);
            }
        }
        if out.items.is_empty() {
            return Problems::message(e.message(lang));
        }
        out
    }

    /// A refusal that belongs to no field.
    pub fn message(text: String) -> Problems {
        Problems {
            items: vec![Item { href: None, text }],
            fields: BTreeMap::new(),
        }
    }

    /// True when nothing went wrong.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Places fields by a table of the form's fields in order: `(service path, element id,
/// label text id)`; a path matches its entry exactly or by its last segment.
pub fn by_table<'a>(
    lang: Lang,
    table: &'a [(&'a str, &'a str, &'a str)],
) -> impl Fn(&str) -> Option<Target> + 'a {
    move |path: &str| {
        let last = path.rsplit('.').next().unwrap_or(path);
        table
            .iter()
            .position(|(p, _, _)| *p == path)
            .or_else(|| table.iter().position(|(p, _, _)| *p == last))
            .map(|i| {
                let (_, id, label) = table[i];
                Target {
                    id: id.to_string(),
                    label: vamyar_i18n::text(lang, label, &[]),
                    order: i,
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vamyar_app::error::FieldErrors;

    #[test]
    fn the_summary_follows_the_form_and_names_fields_in_persian() {
        let mut f = FieldErrors::new();
        f.add("business.title", "required");
        f.add_with(
            "requested_amount",
            "amount_above_ceiling",
            vec![("ceiling", 1_500_000_000)],
        );
        f.add("applicant.national_id", "national_id_check_digit");
        f.add("applicant.secret_thing", "required");
        let table = [
            ("national_id", "national_id", "pg-field-national-id"),
            (
                "requested_amount",
                "requested_amount",
                "pg-field-requested-amount",
            ),
            ("business.title", "business_title", "pg-field-title"),
        ];
        let locate = by_table(Lang::Fa, &table);
        let p = Problems::of(Lang::Fa, &AppError::Validation(f), &locate, Money::Tomans);
        let hrefs: Vec<_> = p.items.iter().map(|i| i.href.clone()).collect();
        assert_eq!(
            hrefs,
            vec![
                Some("#national_id".to_string()),
                Some("#requested_amount".to_string()),
                Some("#business_title".to_string()),
                None
            ]
        );
        assert!(p.items[0].text.starts_with("کد ملی: "));
        let amount = &p.fields["requested_amount"];
        assert!(amount.contains("۱۵۰٬۰۰۰٬۰۰۰ تومان"), "{amount}");
        assert!(!amount.contains("ریال"), "{amount}");
        assert!(!p.items[3].text.contains("secret"), "{}", p.items[3].text);
    }

    #[test]
    fn a_refusal_without_fields_is_one_entry() {
        let p = Problems::of(
            Lang::Fa,
            &AppError::Conflict("invalid_state"),
            &|_| None,
            Money::Rials,
        );
        assert_eq!(p.items.len(), 1);
        assert!(p.items[0].href.is_none());
        assert!(p.fields.is_empty());
    }
}
