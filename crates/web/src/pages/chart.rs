//! Charts drawn on the server as inline SVG: no JavaScript, text in the page's font and
//! digits, right to left in Persian (labels on the right, bars growing leftwards, months
//! running from right to left), readable on a 360-pixel phone (the drawing is 360 units wide
//! and scales to its box). Each chart sits beside the table of its numbers, which is what a
//! screen reader reads; the SVG is an image with a title.

use vamyar_i18n::Lang;

use super::escape;

/// The drawing's width in SVG units (it scales to the width of its box).
pub const WIDTH: i64 = 360;

/// Bars (one group per label) or a line through the labels in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Horizontal bars.
    Bars,
    /// A line with a point per label.
    Line,
}

/// What the numbers are, for their text on the chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A count.
    Count,
    /// Basis points, shown as a percentage with one decimal.
    Percent,
    /// Rials, shown in millions of tomans with one decimal (the table has the exact amount).
    MillionTomans,
    /// Tenths of a working day, shown with one decimal.
    Days,
}

/// One series: its name (for the legend) and one value per label.
#[derive(Clone, Debug)]
pub struct Series {
    /// Its name.
    pub name: String,
    /// One value per label.
    pub values: Vec<i64>,
}

/// A chart to draw.
#[derive(Clone, Debug)]
pub struct Spec {
    /// Its title (the image's accessible name).
    pub title: String,
    /// Bars or line.
    pub shape: Shape,
    /// The labels, in the table's order.
    pub labels: Vec<String>,
    /// The series (at most three are drawn).
    pub series: Vec<Series>,
    /// What the values are.
    pub unit: Unit,
}

const COLORS: [&str; 3] = ["#1d6f5f", "#b4561f", "#4b5ea8"];
const FONT: i64 = 11;

/// A value as the chart writes it, in the language's digits.
pub fn value_text(lang: Lang, unit: Unit, v: i64) -> String {
    let tenths = |n: i64| {
        let sign = if n < 0 { "-" } else { "" };
        let n = n.abs();
        let whole = vamyar_i18n::format::grouped(lang, n / 10);
        let frac = vamyar_i18n::format::grouped(lang, n % 10);
        let sep = if lang == Lang::Fa { "٫" } else { "." };
        format!("{sign}{whole}{sep}{frac}")
    };
    match unit {
        Unit::Count => vamyar_i18n::format::grouped(lang, v),
        Unit::Percent => format!(
            "{}{}",
            tenths((v + 5) / 10),
            if lang == Lang::Fa { "٪" } else { "%" }
        ),
        // rials → tomans (÷ 10) → millions (÷ 10^6), one decimal: ÷ 10^6 in tenths
        Unit::MillionTomans => tenths((v + 500_000) / 1_000_000),
        Unit::Days => tenths(v),
    }
}

/// The caption naming the unit, when the values need one (`(میلیون تومان)`).
pub fn unit_caption(lang: Lang, unit: Unit) -> Option<String> {
    (unit == Unit::MillionTomans).then(|| vamyar_i18n::text(lang, "pg-chart-million-tomans", &[]))
}

fn short(label: &str) -> String {
    const MAX: usize = 22;
    if label.chars().count() <= MAX {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(MAX - 1).collect();
        s.push('…');
        s
    }
}

fn legend(out: &mut String, spec: &Spec, rtl: bool) {
    if spec.series.len() < 2 {
        return;
    }
    let mut x = if rtl { WIDTH - 4 } else { 4 };
    for (i, s) in spec.series.iter().take(COLORS.len()).enumerate() {
        let (rect_x, text_x, anchor) = if rtl {
            (x - 10, x - 14, "end")
        } else {
            (x, x + 14, "start")
        };
        out.push_str(&format!(
            r#"<rect x="{rect_x}" y="4" width="10" height="10" fill="{}"/><text x="{text_x}" y="13" font-size="{FONT}" text-anchor="{anchor}">{}</text>"#,
            COLORS[i],
            escape(&s.name)
        ));
        let step = 24 + 7 * s.name.chars().count() as i64;
        x = if rtl { x - step } else { x + step };
    }
}

/// The chart as an inline `<svg>` element.
pub fn svg(lang: Lang, spec: &Spec) -> String {
    let rtl = lang == Lang::Fa;
    let body = match spec.shape {
        Shape::Bars => bars(lang, spec, rtl),
        Shape::Line => line(lang, spec, rtl),
    };
    let (height, inner) = body;
    let mut out = format!(
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="{}" font-family="inherit"><title>{}</title>"#,
        escape(&spec.title),
        escape(&spec.title)
    );
    legend(&mut out, spec, rtl);
    out.push_str(&inner);
    out.push_str("</svg>");
    out
}

fn max_of(spec: &Spec) -> i64 {
    spec.series
        .iter()
        .take(COLORS.len())
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1)
}

fn bars(lang: Lang, spec: &Spec, rtl: bool) -> (i64, String) {
    const LABEL_W: i64 = 118;
    const VALUE_W: i64 = 62;
    let plot_w = WIDTH - LABEL_W - VALUE_W - 8;
    let n_series = spec.series.len().clamp(1, COLORS.len()) as i64;
    let bar_h = 12;
    let row_h = n_series * (bar_h + 2) + 8;
    let top = if spec.series.len() > 1 { 24 } else { 6 };
    let max = max_of(spec);
    let mut out = String::new();
    for (i, label) in spec.labels.iter().enumerate() {
        let y = top + i as i64 * row_h;
        let (label_x, anchor) = if rtl {
            (WIDTH - 4, "end")
        } else {
            (4, "start")
        };
        out.push_str(&format!(
            r#"<text x="{label_x}" y="{}" font-size="{FONT}" text-anchor="{anchor}">{}</text>"#,
            y + row_h / 2 + 2,
            escape(&short(label))
        ));
        for (j, s) in spec.series.iter().take(COLORS.len()).enumerate() {
            let v = s.values.get(i).copied().unwrap_or(0).max(0);
            let w = (v * plot_w + max / 2) / max;
            let by = y + 4 + j as i64 * (bar_h + 2);
            let (x, tx, tanchor) = if rtl {
                let right = WIDTH - LABEL_W - 4;
                (right - w, right - w - 4, "end")
            } else {
                let left = LABEL_W + 4;
                (left, left + w + 4, "start")
            };
            let text = value_text(lang, spec.unit, v);
            out.push_str(&format!(
                r#"<rect x="{x}" y="{by}" width="{w}" height="{bar_h}" fill="{}"><title>{}: {}</title></rect><text x="{tx}" y="{}" font-size="{}" text-anchor="{tanchor}">{}</text>"#,
                COLORS[j],
                escape(label),
                escape(&text),
                by + bar_h - 2,
                FONT - 1,
                escape(&text)
            ));
        }
    }
    (top + spec.labels.len() as i64 * row_h + 6, out)
}

fn line(lang: Lang, spec: &Spec, rtl: bool) -> (i64, String) {
    const HEIGHT: i64 = 200;
    let top = if spec.series.len() > 1 { 26 } else { 10 };
    let bottom = HEIGHT - 34;
    let (left, right) = if rtl {
        (8, WIDTH - 56)
    } else {
        (56, WIDTH - 8)
    };
    let n = spec.labels.len().max(1) as i64;
    let max = max_of(spec);
    let x_of = |i: i64| {
        let step = if n > 1 {
            (right - left) * i / (n - 1)
        } else {
            (right - left) / 2
        };
        if rtl { right - step } else { left + step }
    };
    let y_of = |v: i64| bottom - (v.max(0) * (bottom - top) + max / 2) / max;
    let mut out = String::new();
    // three gridlines with their values on the outer side
    for k in 0..=2 {
        let v = max * k / 2;
        let y = y_of(v);
        let (tx, anchor) = if rtl {
            (WIDTH - 4, "end")
        } else {
            (4, "start")
        };
        out.push_str(&format!(
            r##"<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="#ccc" stroke-width="1"/><text x="{tx}" y="{}" font-size="{}" text-anchor="{anchor}">{}</text>"##,
            y + 4,
            FONT - 1,
            escape(&value_text(lang, spec.unit, v))
        ));
    }
    // at most six labels under the axis
    let every = (n + 5) / 6;
    for (i, label) in spec.labels.iter().enumerate() {
        let i = i as i64;
        if i % every == 0 || i == n - 1 {
            out.push_str(&format!(
                r#"<text x="{}" y="{}" font-size="{}" text-anchor="middle">{}</text>"#,
                x_of(i),
                bottom + 16,
                FONT - 1,
                escape(&short(label))
            ));
        }
    }
    for (j, s) in spec.series.iter().take(COLORS.len()).enumerate() {
        let points: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, &v)| format!("{},{}", x_of(i as i64), y_of(v)))
            .collect();
        out.push_str(&format!(
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>"#,
            points.join(" "),
            COLORS[j]
        ));
        for (i, &v) in s.values.iter().enumerate() {
            let label = spec.labels.get(i).map(String::as_str).unwrap_or_default();
            out.push_str(&format!(
                r#"<circle cx="{}" cy="{}" r="3" fill="{}"><title>{}: {}</title></circle>"#,
                x_of(i as i64),
                y_of(v),
                COLORS[j],
                escape(label),
                escape(&value_text(lang, spec.unit, v))
            ));
        }
    }
    (HEIGHT, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(shape: Shape) -> Spec {
        Spec {
            title: "پرداخت‌ها".into(),
            shape,
            labels: vec!["تهران".into(), "<ری>".into(), "قم".into()],
            series: vec![Series {
                name: "تعداد".into(),
                values: vec![40, 10, 0],
            }],
            unit: Unit::Count,
        }
    }

    fn attr(svg: &str, tag: &str, n: usize, name: &str) -> i64 {
        let el = svg.split(&format!("<{tag} ")).nth(n + 1).unwrap();
        let v = el.split(&format!("{name}=\"")).nth(1).unwrap();
        v.split('"').next().unwrap().parse().unwrap()
    }

    #[test]
    fn bars_are_proportional_and_grow_from_the_right_in_persian() {
        let fa = svg(Lang::Fa, &spec(Shape::Bars));
        let (w0, w1, w2) = (
            attr(&fa, "rect", 0, "width"),
            attr(&fa, "rect", 1, "width"),
            attr(&fa, "rect", 2, "width"),
        );
        assert_eq!(w0, WIDTH - 118 - 62 - 8, "the largest fills the plot");
        assert_eq!(w1 * 4, w0, "a quarter of it");
        assert_eq!(w2, 0);
        // right edges line up (bars grow leftwards); in English left edges do
        assert_eq!(
            attr(&fa, "rect", 0, "x") + w0,
            attr(&fa, "rect", 1, "x") + w1
        );
        let en = svg(Lang::En, &spec(Shape::Bars));
        assert_eq!(attr(&en, "rect", 0, "x"), attr(&en, "rect", 1, "x"));
        assert!(
            fa.contains(">۴۰<") && en.contains(">40<"),
            "the language's digits"
        );
    }

    #[test]
    fn text_is_escaped_and_the_image_is_named() {
        let fa = svg(Lang::Fa, &spec(Shape::Bars));
        assert!(fa.contains("&lt;ری&gt;") && !fa.contains("<ری>"));
        assert!(fa.starts_with("<svg ") && fa.ends_with("</svg>"));
        assert!(fa.contains(r#"role="img" aria-label="پرداخت‌ها""#));
        assert!(!fa.contains("<script"));
    }

    #[test]
    fn months_run_from_right_to_left_in_persian() {
        let fa = svg(Lang::Fa, &spec(Shape::Line));
        let first = attr(&fa, "circle", 0, "cx");
        let last = attr(&fa, "circle", 2, "cx");
        assert!(first > last, "{first} > {last}");
        let en = svg(Lang::En, &spec(Shape::Line));
        assert!(attr(&en, "circle", 0, "cx") < attr(&en, "circle", 2, "cx"));
        // the highest point is at the top of the plot, zero at its bottom
        assert!(attr(&fa, "circle", 0, "cy") < attr(&fa, "circle", 2, "cy"));
    }

    #[test]
    fn values_read_as_people_read_them() {
        assert_eq!(value_text(Lang::Fa, Unit::Percent, 1250), "۱۲٫۵٪");
        assert_eq!(value_text(Lang::En, Unit::Percent, 1250), "12.5%");
        assert_eq!(
            value_text(Lang::En, Unit::MillionTomans, 12_345_000_000),
            "1,234.5"
        );
        assert_eq!(value_text(Lang::En, Unit::Days, 35), "3.5");
        assert_eq!(value_text(Lang::Fa, Unit::Count, 1500), "۱٬۵۰۰");
    }
}
